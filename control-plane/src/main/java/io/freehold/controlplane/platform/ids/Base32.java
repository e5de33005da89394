package io.freehold.controlplane.platform.ids;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Lower-case Crockford base32 (no i, l, o, u), the alphabet of every external id and token. */
public final class Base32 {

    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final Pattern ID_BODY = Pattern.compile("[0-7][0-9a-hjkmnp-tv-z]{25}");

    private Base32() {
    }

    /** Encodes 16 bytes as 26 characters, the first carrying the top 3 bits. */
    static String encode128(byte[] bytes) {
        StringBuilder out = new StringBuilder(26);
        BigInteger value = new BigInteger(1, bytes);
        for (int i = 25; i >= 0; i--) {
            out.append(ALPHABET.charAt(value.shiftRight(i * 5).intValue() & 31));
        }
        return out.toString();
    }

    /** Encodes random bytes as base32 characters, 5 bits each, for token parts. */
    public static String encodeBits(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        BigInteger value = new BigInteger(1, bytes);
        for (int i = 0; i < chars; i++) {
            out.append(ALPHABET.charAt(value.shiftRight(i * 5).intValue() & 31));
        }
        return out.toString();
    }

    /** True when {@code id} is {@code prefix-} followed by a well-formed 26-character body. */
    public static boolean isId(String prefix, String id) {
        return id != null
                && id.length() == prefix.length() + 27
                && id.startsWith(prefix + "-")
                && ID_BODY.matcher(id.substring(prefix.length() + 1)).matches();
    }
}

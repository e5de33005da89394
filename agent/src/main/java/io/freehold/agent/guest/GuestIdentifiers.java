package io.freehold.agent.guest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The identifiers a guest gets from its instance id alone, so that every host, every agent restart and every
 * re-applied command arrive at the same values without storing them: the domain UUID and the interface's MAC address.
 */
public final class GuestIdentifiers {

    /**
     * The UUIDv5 namespace of Freehold domains. Fixed forever: changing it would give every existing guest a new
     * domain UUID (and with it a new SMBIOS system UUID inside the guest).
     */
    public static final UUID DOMAIN_NAMESPACE = UUID.fromString("5af10c5e-f187-4f07-a5a0-f23d7733f314");

    /**
     * The first octet of every Freehold MAC address: locally administered (bit 1 set), unicast (bit 0 clear), and in
     * the "administratively assigned" quadrant of IEEE 802c (low nibble 2). It stays out of QEMU's and libvirt's
     * 52:54:00 block, where libvirt draws random addresses for guests Freehold does not manage, out of Docker's 02:42,
     * and away from fe, which libvirt reserves for tap devices. Operators can tell Freehold guests by it in ARP and
     * bridge tables.
     */
    static final int MAC_FIRST_OCTET = 0x12;

    private GuestIdentifiers() {
    }

    /** The libvirt domain UUID: UUIDv5 (SHA-1, RFC 9562) of the instance id's UTF-8 bytes in {@link #DOMAIN_NAMESPACE}. */
    public static UUID domainUuid(String instanceId) {
        return uuidV5(DOMAIN_NAMESPACE, instanceId);
    }

    /**
     * The guest's MAC address: {@link #MAC_FIRST_OCTET} followed by the first five bytes of SHA-256 of the instance
     * id's UTF-8 bytes. Forty hashed bits make a collision between two guests on one network about one in ten thousand
     * with 15,000 guests on it; 52:54:00 followed by 24 bits would reach 3 % with a thousand.
     */
    public static MacAddress mac(String instanceId) {
        byte[] address = new byte[6];
        address[0] = (byte) MAC_FIRST_OCTET;
        System.arraycopy(digest("SHA-256", utf8(instanceId)), 0, address, 1, 5);
        return new MacAddress(HexFormat.ofDelimiter(":").formatHex(address));
    }

    static UUID uuidV5(UUID namespace, String name) {
        byte[] nameBytes = utf8(name);
        ByteBuffer input = ByteBuffer.allocate(16 + nameBytes.length);
        input.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits()).put(nameBytes);
        ByteBuffer hash = ByteBuffer.wrap(digest("SHA-1", input.array()));
        long most = hash.getLong();
        long least = hash.getLong();
        most = (most & ~0xF000L) | 0x5000L;
        least = (least & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    private static byte[] utf8(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an identifier needs a non-empty instance id");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm, e);
        }
    }
}

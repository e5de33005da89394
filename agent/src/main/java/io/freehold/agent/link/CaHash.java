package io.freehold.agent.link;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.freehold.agent.identity.Certificates;

/**
 * The CA fingerprint a join token travels with ({@code sha256:<64 hex>}, kubeadm's discovery-hash idea): the only
 * thing that makes the first, certificate-less connection to the control plane trustworthy.
 */
public record CaHash(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public CaHash {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a CA hash is 64 hex digits");
        }
    }

    /** @throws IllegalArgumentException when the text is not {@code sha256:} followed by 64 hex digits */
    public static CaHash parse(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (!normalized.startsWith("sha256:") || !HEX.matcher(normalized.substring(7)).matches()) {
            throw new IllegalArgumentException("the CA hash must look like sha256:<64 hex digits>, as the join token was printed");
        }
        return new CaHash(normalized.substring(7));
    }

    public boolean matches(X509Certificate certificate) {
        return hex.equals(Certificates.sha256Hex(certificate));
    }

    /** The first certificate in {@code chain} whose DER hashes to this value. */
    public Optional<X509Certificate> findIn(List<X509Certificate> chain) {
        return chain.stream().filter(this::matches).findFirst();
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}

package io.freehold.agent.identity;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.ByteString;

/** Conversions between the DER bytes the protocol carries and JDK certificates, and their SHA-256 fingerprints. */
public final class Certificates {

    private Certificates() {
    }

    /** @throws IllegalArgumentException when the bytes are not one X.509 certificate */
    public static X509Certificate fromDer(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static List<X509Certificate> fromDer(List<ByteString> ders) {
        List<X509Certificate> certificates = new ArrayList<>(ders.size());
        for (ByteString der : ders) {
            certificates.add(fromDer(der.toByteArray()));
        }
        return certificates;
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding, as join tokens carry it after {@code sha256:}. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode or hash a certificate", e);
        }
    }
}

package io.freehold.agent.testing;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.freehold.agent.identity.CertificateRequests;
import io.freehold.agent.identity.Certificates;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A CA for tests, shaped like the control plane's: EC P-256, a self-signed root, server certificates for loopback
 * and client certificates whose CN is the host id.
 */
public final class TestCertificateAuthority {

    /** A key and the certificate chain to present with it, leaf first. */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    public TestCertificateAuthority(String name) {
        keys = CertificateRequests.newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            certificate = sign(builder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The value a join token travels with. */
    public String hash() {
        return "sha256:" + Certificates.sha256Hex(certificate);
    }

    /** A server identity for 127.0.0.1 and localhost, presented as [leaf, CA] like the control plane does. */
    public Issued serverIdentity() {
        KeyPair server = CertificateRequests.newKeyPair();
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer(), serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=freehold-control-plane"), server.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            return new Issued(server.getPrivate(), List.of(sign(builder), certificate));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs an agent's CSR the way the control plane does: subject CN = host id, client auth only. */
    public X509Certificate signClient(byte[] csrDer, String hostId, Duration lifetime) {
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(csrDer);
            // The JDK's EC KeyFactory is not registered under the algorithm's OID, which BouncyCastle looks up when
            // handed a SubjectPublicKeyInfo; decoding the key by name first avoids needing the BC provider.
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new IllegalArgumentException("bad CSR signature");
            }
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer(), serial(), Date.from(now),
                    Date.from(now.plus(lifetime)), new X500Name("CN=" + hostId), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return sign(builder);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot sign the CSR: " + e.getMessage(), e);
        }
    }

    private X500Name issuer() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
        return Certificates.fromDer(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded());
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }
}

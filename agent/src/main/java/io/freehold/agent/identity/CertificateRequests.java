package io.freehold.agent.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * New keys and the PKCS#10 requests that carry their public halves to the control plane. A fresh key is made for
 * join and for every renewal, so a leaked old key stops working when its certificate expires.
 */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /** An EC key pair on P-256 (secp256r1), the curve the control plane's CA signs with. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    /**
     * A DER-encoded CSR for {@code keys}, self-signed with SHA256withECDSA. The control plane replaces the subject
     * with the host id, so {@code commonName} is only a hint for people reading logs.
     */
    public static byte[] csrDer(KeyPair keys, String commonName) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build a certificate signing request", e);
        }
    }
}

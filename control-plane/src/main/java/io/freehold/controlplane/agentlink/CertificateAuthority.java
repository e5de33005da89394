package io.freehold.controlplane.agentlink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The installation's CA for agent mTLS (ARCHITECTURE §4). Created once across all replicas and
 * restarts, under an advisory lock, and kept in PostgreSQL with its key encrypted by the operator's
 * key file. It signs short-lived client certificates whose subject CN is the host id (the only
 * source of a host's identity) and server certificates for each replica.
 */
@Service
public class CertificateAuthority {

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /** Tolerates agents whose clocks run a little behind. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final CertificateAuthorityStore store;
    private final AgentLinkProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Loaded loaded;

    private record Loaded(X509Certificate certificate, PrivateKey key) {
    }

    /** A replica's TLS identity. */
    public record ServerIdentity(PrivateKey key, X509Certificate certificate) {
    }

    CertificateAuthority(CertificateAuthorityStore store, AgentLinkProperties properties, TransactionTemplate transaction,
                         Clock clock) {
        this.store = store;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
    }

    public X509Certificate certificate() {
        return loaded().certificate();
    }

    /** The SHA-256 of the CA certificate's DER, as join tokens carry it: {@code sha256:<hex>}. */
    public String fingerprint() {
        return fingerprintOf(certificate());
    }

    public static String fingerprintOf(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs an agent's CSR after checking its self-signature. The subject is set to {@code CN=<hostId>}
     * whatever the CSR asked for.
     *
     * @throws IllegalArgumentException when the CSR is malformed or its signature does not verify
     */
    public X509Certificate signClientCertificate(byte[] csrDer, String hostId, Duration lifetime) {
        JcaPKCS10CertificationRequest csr;
        try {
            csr = new JcaPKCS10CertificationRequest(csrDer);
            // BouncyCastle's own provider reads the key by its algorithm OID, which the JDK's providers do not.
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BOUNCY_CASTLE)
                    .build(csr.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("the certificate signing request's signature does not verify");
            }
            Instant now = clock.instant();
            // The key goes in as the CSR encodes it: no JCA key factory has to know its algorithm by OID.
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(certificate().getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), new X500Name("CN=" + hostId),
                    csr.getSubjectPublicKeyInfo())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate()));
            return sign(builder);
        } catch (IOException | IllegalStateException | OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate signing request is not valid: " + e.getMessage(), e);
        }
    }

    /** A new key and certificate for this replica's TLS endpoint, valid for {@code names}. */
    public ServerIdentity issueServerIdentity(List<String> names, Duration lifetime) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = clock.instant();
            GeneralName[] altNames = names.stream()
                    .map(name -> IP_LITERAL.matcher(name).matches()
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name))
                    .toArray(GeneralName[]::new);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(certificate().getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), new X500Name("CN=freehold-control-plane"),
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            return new ServerIdentity(pair.getPrivate(), sign(builder));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not issue the server certificate", e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws OperatorCreationException, IOException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE).build(loaded().key()));
        return toCertificate(holder.getEncoded());
    }

    private Loaded loaded() {
        Loaded current = loaded;
        if (current == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = transaction.execute(tx -> loadOrCreate());
                }
                current = loaded;
            }
        }
        return current;
    }

    private Loaded loadOrCreate() {
        store.lockCreation();
        var stored = store.find();
        if (stored.isPresent()) {
            CaKeyFile keyFile = CaKeyFile.load(properties.caKeyFile(), false);
            return new Loaded(toCertificate(stored.get().certificateDer()), privateKey(keyFile.decrypt(stored.get().encryptedKey())));
        }
        CaKeyFile keyFile = CaKeyFile.load(properties.caKeyFile(), true);
        try {
            KeyPair pair = newKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=Freehold agent CA " + HexFormat.of().formatHex(random.generateSeed(4)));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(CA_LIFETIME)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = toCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate()))
                    .getEncoded());
            store.insert(certificate.getEncoded(), keyFile.encrypt(pair.getPrivate().getEncoded()), now);
            return new Loaded(certificate, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the certificate authority", e);
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static X509Certificate toCertificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored CA key is not an EC key", e);
        }
    }
}

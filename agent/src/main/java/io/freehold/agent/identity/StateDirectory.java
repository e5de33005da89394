package io.freehold.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.freehold.agent.config.HostPort;

/**
 * The agent's identity on disk. Layout under the state dir:
 *
 * <pre>
 * host-id                    the host id, written last at join: its presence means "joined"
 * control-plane-addresses    one HOST:PORT per line
 * ca.pem                     the CA bundle that server certificates must chain to
 * credentials/               mode 0700
 * credentials/current        symlink to the generation in use
 * credentials/&lt;serial&gt;/key.pem   private key, mode 0600
 * credentials/&lt;serial&gt;/cert.pem  client certificate
 * </pre>
 *
 * Every file is replaced by temp file and rename; a key and its certificate live in one generation directory and
 * become current together by one atomic symlink rename, so no crash can pair a key with another key's certificate.
 * Nothing is created until there is something to store, so a refused join leaves no trace.
 */
public final class StateDirectory {

    private static final String HOST_ID = "host-id";
    private static final String ADDRESSES = "control-plane-addresses";
    private static final String CA = "ca.pem";
    private static final String CREDENTIALS = "credentials";
    private static final String CURRENT = "current";
    private static final String KEY = "key.pem";
    private static final String CERT = "cert.pem";

    private final Path root;

    public StateDirectory(Path root) {
        this.root = root;
    }

    public boolean isJoined() {
        return Files.isRegularFile(root.resolve(HOST_ID));
    }

    /** The key file in use, for operators and tests; it is always mode 0600. */
    public Path currentKeyFile() {
        return root.resolve(CREDENTIALS).resolve(CURRENT).resolve(KEY);
    }

    public Path currentCertificateFile() {
        return root.resolve(CREDENTIALS).resolve(CURRENT).resolve(CERT);
    }

    /** Stores a fresh join's identity; the host id goes last, so an interrupted join reads as "not joined". */
    public void storeJoin(AgentIdentity identity) {
        try {
            // Others may traverse but not list the root: QEMU, as libvirt-qemu, must reach <state dir>/guests.
            AtomicFileWriter.createDirectory(root, AtomicFileWriter.TRAVERSABLE_DIR);
            storeCredentials(identity.key(), identity.certificate());
            AtomicFileWriter.write(root.resolve(CA), Pem.certificates(identity.caBundle()), AtomicFileWriter.WORLD_READABLE);
            StringBuilder addresses = new StringBuilder();
            identity.addresses().forEach(address -> addresses.append(address).append('\n'));
            AtomicFileWriter.write(root.resolve(ADDRESSES), addresses.toString(), AtomicFileWriter.WORLD_READABLE);
            AtomicFileWriter.write(root.resolve(HOST_ID), identity.hostId() + "\n", AtomicFileWriter.WORLD_READABLE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent state to " + root, e);
        }
    }

    /**
     * Makes a renewed key and certificate current in one step, and replaces the CA bundle when one came with them.
     * The CA bundle goes first: a new CA must already be trusted when the certificate it signed is used.
     */
    public void storeRenewal(PrivateKey key, X509Certificate certificate, List<X509Certificate> caBundle) {
        try {
            if (!caBundle.isEmpty()) {
                AtomicFileWriter.write(root.resolve(CA), Pem.certificates(caBundle), AtomicFileWriter.WORLD_READABLE);
            }
            storeCredentials(key, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the renewed certificate to " + root, e);
        }
    }

    /** @throws IllegalStateException when the agent has not joined, or the stored identity is unreadable */
    public AgentIdentity load() {
        if (!isJoined()) {
            throw new IllegalStateException("no identity in " + root + ": run 'freehold-agent join' first");
        }
        try {
            String hostId = Files.readString(root.resolve(HOST_ID)).trim();
            PrivateKey key = Pem.readPrivateKey(Files.readString(currentKeyFile()));
            List<X509Certificate> certificate = Pem.readCertificates(Files.readString(currentCertificateFile()));
            List<X509Certificate> ca = Pem.readCertificates(Files.readString(root.resolve(CA)));
            List<HostPort> addresses;
            try (Stream<String> lines = Files.lines(root.resolve(ADDRESSES), StandardCharsets.UTF_8)) {
                addresses = lines.map(String::trim).filter(line -> !line.isEmpty()).map(HostPort::parse).toList();
            }
            if (certificate.isEmpty()) {
                throw new IllegalStateException("no certificate in " + currentCertificateFile());
            }
            return new AgentIdentity(hostId, key, certificate.get(0), ca, addresses);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the agent state in " + root + " is unreadable: " + e.getMessage(), e);
        }
    }

    private void storeCredentials(PrivateKey key, X509Certificate certificate) throws IOException {
        Path credentials = root.resolve(CREDENTIALS);
        AtomicFileWriter.createDirectory(credentials, AtomicFileWriter.PRIVATE_DIR);
        String generation = certificate.getSerialNumber().toString(16);
        Path dir = credentials.resolve(generation);
        AtomicFileWriter.createDirectory(dir, AtomicFileWriter.PRIVATE_DIR);
        AtomicFileWriter.write(dir.resolve(KEY), Pem.privateKey(key), AtomicFileWriter.OWNER_ONLY);
        AtomicFileWriter.write(dir.resolve(CERT), Pem.certificates(List.of(certificate)), AtomicFileWriter.WORLD_READABLE);
        Path link = credentials.resolve("." + CURRENT + ".tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(generation));
        Files.move(link, credentials.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFileWriter.syncDirectory(credentials);
        pruneGenerationsOtherThan(credentials, generation);
    }

    /** Old keys are deleted once the new pair is current: a superseded key has no use but to be stolen. */
    private static void pruneGenerationsOtherThan(Path credentials, String keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(credentials)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals(keep) && !name.startsWith(".") && !name.equals(CURRENT) && Files.isDirectory(entry)) {
                    deleteTree(entry);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

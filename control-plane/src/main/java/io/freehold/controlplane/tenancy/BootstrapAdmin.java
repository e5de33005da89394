package io.freehold.controlplane.tenancy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.platform.FreeholdProperties;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start of an installation (whichever replica gets there first), creates the bootstrap
 * {@code ops-admin} and writes its API token to {@code <data dir>/admin.token} with mode 0600. The
 * token itself is never logged; the log names the file.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);
    private static final String FACT = "bootstrap-admin";
    private static final Caller SYSTEM = new Caller("system", Role.OPS_ADMIN, null, null);

    private final InstallationStore installation;
    private final UserStore users;
    private final TokenService tokens;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final FreeholdProperties properties;

    BootstrapAdmin(InstallationStore installation, UserStore users, TokenService tokens, AuditTrail audit, IdGenerator ids,
                   Clock clock, TransactionTemplate transaction, FreeholdProperties properties) {
        this.installation = installation;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.transaction = transaction;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        Path tokenFile = properties.adminTokenFile();
        String token = transaction.execute(tx -> {
            Instant now = clock.instant();
            User admin = new User(ids.next(User.ID_PREFIX), null, properties.bootstrap().adminEmail(), "Bootstrap administrator",
                    Role.OPS_ADMIN, null, now, now);
            if (!installation.claim(FACT, admin.id(), now)) {
                return null;
            }
            if (!users.insert(admin)) {
                throw new IllegalStateException("bootstrap admin email " + admin.email() + " is already taken");
            }
            CreatedToken created = tokens.issue(admin, "bootstrap", SYSTEM.userId(), null);
            audit.succeeded(SYSTEM, null, "installation.bootstrap", admin.id(), Map.of("tokenFile", tokenFile.toString()));
            writeTokenFile(tokenFile, created.token());
            return created.token();
        });
        if (token != null) {
            log.info("Created the bootstrap ops-admin; its API token is in {}", tokenFile);
        }
    }

    /** Written before the transaction commits: a failed write leaves no admin whose token nobody has. */
    private static void writeTokenFile(Path file, String token) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the bootstrap admin token to " + file, e);
        }
    }
}

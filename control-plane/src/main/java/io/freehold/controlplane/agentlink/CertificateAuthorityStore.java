package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CertificateAuthorityStore {

    record StoredCa(byte[] certificateDer, byte[] encryptedKey) {
    }

    private final JdbcClient jdbc;

    CertificateAuthorityStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises CA creation across replicas until the transaction ends. */
    void lockCreation() {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('freehold-certificate-authority', 0))").query().singleRow();
    }

    Optional<StoredCa> find() {
        return jdbc.sql("select certificate_der, encrypted_key from certificate_authority where id = 1")
                .query((rs, n) -> new StoredCa(rs.getBytes("certificate_der"), rs.getBytes("encrypted_key")))
                .optional();
    }

    void insert(byte[] certificateDer, byte[] encryptedKey, Instant now) {
        jdbc.sql("insert into certificate_authority (id, certificate_der, encrypted_key, created_at) values (1, :cert, :key, :now)")
                .param("cert", certificateDer)
                .param("key", encryptedKey)
                .param("now", utc(now))
                .update();
    }
}

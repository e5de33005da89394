package io.freehold.controlplane.platform.db;


import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.platform.FreeholdProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one DataSource: an external PostgreSQL server when {@code FREEHOLD_DB_URL} is set, otherwise the
 * embedded server whose data lives under the data directory (all-in-one mode).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(FreeholdProperties properties) {
        if (properties.db().external()) {
            return EmbeddedDatabase.none();
        }
        return EmbeddedDatabase.start(properties.home().resolve("postgres"), properties.embeddedDb().port());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(FreeholdProperties properties, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("freehold");
        config.setMaximumPoolSize(20);
        if (properties.db().external()) {
            config.setJdbcUrl(properties.db().url());
            config.setUsername(properties.db().user());
            config.setPassword(properties.db().password());
            log.info("Using PostgreSQL at {}", properties.db().url());
        } else {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername(EmbeddedDatabase.USER);
            log.info("Using embedded PostgreSQL at {} (data in {})", embedded.jdbcUrl(), embedded.dataDirectory());
        }
        return new HikariDataSource(config);
    }
}

package io.freehold.controlplane.platform;

import java.nio.file.Files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the operator, once everything is up, where to point a browser and where the admin token is. */
@Component
class ReadyAnnouncement {

    private static final Logger log = LoggerFactory.getLogger(ReadyAnnouncement.class);

    private final FreeholdProperties properties;
    private final Environment environment;

    ReadyAnnouncement(FreeholdProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener
    void announce(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String address = environment.getProperty("server.address", "127.0.0.1");
        String url = "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + web.getWebServer().getPort() + "/";
        String token = Files.exists(properties.adminTokenFile())
                ? "bootstrap admin token: " + properties.adminTokenFile()
                : "no bootstrap admin token file on this replica (another replica or an earlier start created the admin)";
        log.info("Freehold is ready at {} (API {}api/v1); {}", url, url, token);
    }
}

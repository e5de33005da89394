package io.freehold.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One control plane installed on one machine: a database of its own on the PostgreSQL server {@code scripts/test.sh}
 * starts, one home (where the first start writes the CA's key file and the bootstrap admin's token) and fixed REST
 * and agent ports. Every {@link #start} is a new replica process of the same installation, as a service manager
 * restarts one after it died, so a test can kill one — armed with a fault point or not — and start the next.
 */
final class ControlPlaneInstallation {

    private final TestResources resources;
    private final PostgresDatabase database;
    private final Path home;
    private final int restPort;
    private final int agentPort;
    private final Map<String, String> properties;
    private int starts;

    private ControlPlaneInstallation(TestResources resources, PostgresDatabase database, Path home, int restPort, int agentPort,
                                     Map<String, String> properties) {
        this.resources = resources;
        this.database = database;
        this.home = home;
        this.restPort = restPort;
        this.agentPort = agentPort;
        this.properties = properties;
    }

    /** @param properties Spring properties every start gets on its command line, beyond the addresses */
    static ControlPlaneInstallation create(TestResources resources, Map<String, String> properties) throws Exception {
        PostgresDatabase database = resources.closeAtEnd(PostgresDatabase.createOn(Preconditions.postgresServer()));
        int restPort = LoopbackPort.free();
        int agentPort = LoopbackPort.free();
        while (agentPort == restPort) {
            agentPort = LoopbackPort.free();
        }
        Map<String, String> all = new HashMap<>(properties);
        all.put("freehold.agentlink.bind-address", "127.0.0.1");
        all.put("freehold.agentlink.server-names", "127.0.0.1");
        return new ControlPlaneInstallation(resources, database, resources.directory("control-plane-home"), restPort, agentPort, all);
    }

    /** Starts the next replica with {@code environment} added (a fault point, say) and waits until it is healthy. */
    ControlPlane start(Map<String, String> environment) throws IOException, InterruptedException {
        starts++;
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("FREEHOLD_DB_URL", database.jdbcUrl());
        variables.put("FREEHOLD_DB_USER", database.user());
        variables.put("FREEHOLD_DB_PASSWORD", "");
        variables.put("FREEHOLD_PORT", Integer.toString(restPort));
        variables.put("FREEHOLD_AGENT_PORT", Integer.toString(agentPort));
        variables.put("FREEHOLD_BIND_ADDRESS", "127.0.0.1");
        return ControlPlane.start(resources, "control-plane-" + starts, ControlPlane.command(properties), home, variables,
                "http://127.0.0.1:" + restPort).awaitHealthy();
    }

    PostgresDatabase database() {
        return database;
    }

    /** Where agents reach every replica of this installation. */
    String agentAddress() {
        return "127.0.0.1:" + agentPort;
    }
}

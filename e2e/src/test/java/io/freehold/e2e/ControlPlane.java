package io.freehold.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One control-plane replica: the packaged jar run with {@code java -jar}, configured as an operator
 * configures it, through {@code FREEHOLD_*} variables and Spring properties on the command line.
 */
final class ControlPlane {

    /**
     * Measured at 10–40 s on this project's loaded 2-core machines (several JVMs start at once);
     * the limit only ends a start that will never finish.
     */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(150);
    /** The line {@code AgentLinkConfiguration} logs at start, naming what {@code agent_session.replica_id} will hold. */
    private static final Pattern REPLICA_ID = Pattern.compile("this control plane is replica (\\S+) ");

    private final ChildProcess process;
    private final Path home;
    private final String restBase;
    private final long startedAt;

    private ControlPlane(ChildProcess process, Path home, String restBase, long startedAt) {
        this.process = process;
        this.home = home;
        this.restBase = restBase;
        this.startedAt = startedAt;
    }

    /** {@code java -jar freehold-control-plane.jar --<property>=<value>…}. */
    static List<String> command(Map<String, String> properties) {
        return Jars.javaCommand(Jars.controlPlane(), properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .sorted()
                .toList());
    }

    /**
     * Starts {@code command} with {@code FREEHOLD_HOME=home} and {@code environment}; returns at once, so
     * that replicas can start side by side. {@code restBase} is where the test reaches its HTTP port.
     */
    static ControlPlane start(TestResources resources, String name, List<String> command, Path home,
                              Map<String, String> environment, String restBase) throws IOException {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("FREEHOLD_HOME", home.toString());
        long startedAt = System.nanoTime();
        return new ControlPlane(resources.start(name, command, variables), home, restBase, startedAt);
    }

    /** Waits until {@code /actuator/health} is UP; fails at once, with its log, if the process exits first. */
    ControlPlane awaitHealthy() throws InterruptedException {
        Poll.Outcome<Boolean> up = Poll.until(process.name() + " answers /actuator/health with UP", startedAt, STARTUP_LIMIT, () -> {
            if (!process.isAlive()) {
                fail(process.name() + " exited before it was healthy; its log:\n" + process.output());
            }
            return OpsApi.healthy(restBase);
        }, Boolean::booleanValue);
        System.out.printf("[e2e] %s healthy %s after its start%n", process.name(), up.seconds());
        return this;
    }

    ChildProcess process() {
        return process;
    }

    Path home() {
        return home;
    }

    String restBase() {
        return restBase;
    }

    /** Its id among the replicas sharing the database, from the line it logs at start. */
    String replicaId() {
        Matcher matcher = REPLICA_ID.matcher(process.output());
        if (!matcher.find()) {
            fail(process.name() + " logged no replica id; its log:\n" + process.output());
        }
        return matcher.group(1);
    }

    /** The bootstrap admin's token, if this replica created the admin (only the first replica of an installation does). */
    boolean wroteAdminToken() {
        return Files.exists(home.resolve("admin.token"));
    }

    String adminToken() throws IOException {
        return Files.readString(home.resolve("admin.token")).strip();
    }
}

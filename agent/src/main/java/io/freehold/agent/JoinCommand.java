package io.freehold.agent;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.config.HostPort;
import io.freehold.agent.facts.HostFactsCollector;
import io.freehold.agent.facts.LibvirtProbe;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.StateDirectory;
import io.freehold.agent.link.CaHash;
import io.freehold.agent.link.JoinClient;
import io.freehold.agent.v1.HostFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freehold-agent join}: trades a one-time join token for this host's identity and stores it in the state dir.
 * Refuses, writing nothing, when the server cannot prove it holds a certificate from the CA whose hash the token came
 * with, or when this state dir already holds an identity (joining twice would orphan the first host record).
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Join this host to a Freehold control plane with a one-time join token; prints the host id.")
final class JoinCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", description = "a control-plane gRPC address")
    private String server;

    @Option(names = "--token", required = true, paramLabel = "fhj_...", description = "the join token ops created")
    private String token;

    @Option(names = "--ca-hash", required = true, paramLabel = "sha256:HEX",
            description = "the CA hash printed with the token; the server must prove it holds a certificate from this CA")
    private String caHash;

    @Option(names = "--config", paramLabel = "FILE", description = "agent config file (default /etc/freehold/agent.yaml if present)")
    private Path configFile;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "overrides state_dir from the config")
    private Path stateDir;

    @Override
    public Integer call() {
        LogContext.install();
        AgentConfig config;
        HostPort address;
        CaHash hash;
        try {
            config = ConfigOption.load(configFile);
            address = HostPort.parse(server);
            hash = CaHash.parse(caHash);
            if (!token.startsWith("fhj_")) {
                throw new IllegalArgumentException("a join token starts with fhj_; copy it exactly as ops printed it");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("freehold-agent join: " + e.getMessage());
            return 2;
        }
        if (stateDir != null) {
            config = config.withStateDir(stateDir);
        }
        StateDirectory state = new StateDirectory(config.stateDir());
        if (state.isJoined()) {
            spec.commandLine().getErr().println("freehold-agent join: " + config.stateDir() + " already holds the identity of host "
                    + state.load().hostId() + "; to join again, revoke that host and remove the state dir first");
            return 1;
        }
        HostFacts facts;
        try (LibvirtProbe libvirt = new LibvirtProbe(config.libvirtUri(), Duration.ZERO, Clock.systemUTC())) {
            facts = new HostFactsCollector(config.guestStoragePath(), config.kvm(), libvirt, UUID.randomUUID().toString()).collect();
        }
        AgentIdentity identity;
        try {
            identity = JoinClient.join(address, token, hash, facts);
        } catch (JoinClient.JoinFailed e) {
            spec.commandLine().getErr().println("freehold-agent join: " + e.getMessage());
            return 1;
        }
        try {
            state.storeJoin(identity);
        } catch (UncheckedIOException e) {
            // The control plane has issued a certificate nobody holds now; the host record needs revoking.
            spec.commandLine().getErr().println("freehold-agent join: joined as host " + identity.hostId() + " but " + e.getMessage()
                    + ": " + e.getCause().getMessage() + "; revoke that host, fix the state dir and join again");
            return 1;
        }
        spec.commandLine().getOut().println(identity.hostId());
        spec.commandLine().getOut().flush();
        return 0;
    }
}

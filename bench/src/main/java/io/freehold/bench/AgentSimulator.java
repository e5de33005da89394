package io.freehold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLException;

import io.freehold.agent.config.HostPort;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.link.CaHash;
import io.freehold.agent.link.JoinClient;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.ProtocolVersion;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * Plays a fleet of hosts in this JVM. {@link #join} makes each host's identity the way ops and a real agent do: a join
 * token from the ops API, then the agent's own {@link JoinClient} (which pins the CA from the token). {@link #connect}
 * opens one mutual-TLS connection and Connect stream per host, with the client certificate Join returned. Every
 * connection is a TCP connection of its own, as it is with real hosts; they share gRPC's default event loops.
 */
final class AgentSimulator implements AutoCloseable {

    /** Stop joining after this many failures: something is broken and the rest would fail the same way. */
    private static final int MAX_JOIN_FAILURES = 20;
    private static final Duration KEEPALIVE = Duration.ofSeconds(30);

    final LatencySamples tokenLatency = new LatencySamples();
    final LatencySamples joinLatency = new LatencySamples();
    final LatencySamples welcomeLatency = new LatencySamples();
    final LongAdder heartbeatsSent = new LongAdder();
    final LongAdder heartbeatsBackpressured = new LongAdder();
    final AtomicInteger welcomed = new AtomicInteger();
    final AtomicInteger failedToConnect = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    /** How streams ended that the simulator did not end itself, by gRPC status code. */
    final Map<Status.Code, Integer> endings = new ConcurrentHashMap<>();

    private final HostPort server;
    private final OpsClient ops;
    private final PrintStream out;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("heartbeats"));
    private final ConcurrentLinkedQueue<SimulatedStream> streams = new ConcurrentLinkedQueue<>();

    AgentSimulator(HostPort server, OpsClient ops, PrintStream out) {
        this.server = server;
        this.ops = ops;
        this.out = out;
    }

    /**
     * Joins {@code count} new hosts, {@code parallelism} at a time, printing progress.
     *
     * @return the identities of the hosts that joined; fewer than asked when joins failed (the first failure is printed)
     */
    List<AgentIdentity> join(int count, int parallelism) throws InterruptedException {
        AgentIdentity[] joined = new AgentIdentity[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        int reportEvery = Math.max(1, count / 10);
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(parallelism, daemon("join"));
        for (int w = 0; w < parallelism; w++) {
            workers.execute(() -> {
                for (int i = next.getAndIncrement(); i < count && failures.get() < MAX_JOIN_FAILURES; i = next.getAndIncrement()) {
                    try {
                        long t0 = System.nanoTime();
                        OpsClient.JoinToken token = ops.createJoinToken();
                        long t1 = System.nanoTime();
                        joined[i] = JoinClient.join(server, token.token(), CaHash.parse(token.caFingerprint()), facts(hostname(i)));
                        long t2 = System.nanoTime();
                        tokenLatency.add(t1 - t0);
                        joinLatency.add(t2 - t1);
                        int n = done.incrementAndGet();
                        if (n % reportEvery == 0) {
                            out.printf("  joined %d/%d (%.0f/s)%n", n, count, n / seconds(System.nanoTime() - started));
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.DAYS);
        if (firstFailure.get() != null) {
            out.printf("  %d join(s) failed; the first: %s%n", failures.get(), firstFailure.get());
        }
        List<AgentIdentity> identities = new ArrayList<>();
        for (AgentIdentity identity : joined) {
            if (identity != null) {
                identities.add(identity);
            }
        }
        return identities;
    }

    /**
     * Opens a Connect stream for every identity, at most {@code inFlight} of them waiting for their Welcome at once,
     * and returns when every stream was welcomed or failed, or when {@code limit} passed.
     */
    void connect(List<AgentIdentity> identities, int inFlight, Duration limit) throws InterruptedException, SSLException {
        Semaphore pending = new Semaphore(inFlight);
        CountDownLatch settled = new CountDownLatch(identities.size());
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < identities.size(); i++) {
            if (!pending.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            AgentIdentity identity = identities.get(i);
            SimulatedStream stream = new SimulatedStream(channel(identity), timers, listener(pending, settled));
            streams.add(stream);
            stream.start(facts(hostname(i)));
        }
        settled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Streams welcomed and not ended since. */
    int open() {
        return welcomed.get() - dropped.get();
    }

    private SimulatedStream.Listener listener(Semaphore pending, CountDownLatch settled) {
        return new SimulatedStream.Listener() {
            @Override
            public void welcomed(long helloToWelcomeNanos) {
                welcomeLatency.add(helloToWelcomeNanos);
                welcomed.incrementAndGet();
                pending.release();
                settled.countDown();
            }

            @Override
            public void ended(boolean afterWelcome, Status status) {
                endings.merge(status.getCode(), 1, Integer::sum);
                if (afterWelcome) {
                    dropped.incrementAndGet();
                } else {
                    failedToConnect.incrementAndGet();
                    pending.release();
                    settled.countDown();
                }
            }

            @Override
            public void heartbeatSent(boolean backpressured) {
                heartbeatsSent.increment();
                if (backpressured) {
                    heartbeatsBackpressured.increment();
                }
            }
        };
    }

    private ManagedChannel channel(AgentIdentity identity) throws SSLException {
        return NettyChannelBuilder.forAddress(server.host(), server.port())
                .sslContext(GrpcSslContexts.forClient()
                        .keyManager(identity.key(), identity.certificate())
                        .trustManager(identity.caBundle())
                        .build())
                // What the real agent asks for by default: finds a dead control plane that never sent a FIN.
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE.toMillis() / 3, TimeUnit.MILLISECONDS)
                .build();
    }

    /** Facts a real host reports, with the identity fields that must differ between hosts made unique. */
    private static HostFacts facts(String hostname) {
        return HostFacts.newBuilder()
                .setHostname(hostname)
                .setCpuModel("Simulated CPU @ 2.0GHz")
                .setCpuCores(32)
                .setCpuThreads(64)
                .setMemoryBytes(256L << 30)
                .setStoragePath("/var/lib/freehold/agent/guests")
                .setStorageBytes(4L << 40)
                .setLibvirtUri("qemu:///system")
                .setLibvirtVersion("9.0.0")
                .setQemuVersion("7.2.0")
                .setKvmUsable(true)
                .setAgentVersion("0.1.0-bench")
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setBootId(UUID.randomUUID().toString())
                .setIncarnationId(UUID.randomUUID().toString())
                .setOs("Debian GNU/Linux 12 (bookworm)")
                .setArchitecture("x86_64")
                .build();
    }

    private static String hostname(int index) {
        return String.format("sim-%05d", index);
    }

    /** Ends every stream from this side and closes their connections. */
    @Override
    public void close() {
        timers.shutdownNow();
        streams.forEach(SimulatedStream::cancel);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "bench-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.freehold.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.protobuf.Timestamp;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One simulated host's Connect stream, as the real agent drives it: Hello first, then a Heartbeat at the interval the
 * Welcome names, carrying the same fields the agent's sampler fills. Unlike the agent it does not reconnect: a stream
 * that ends is reported, so a benchmark can never hide a drop behind a reconnect.
 */
final class SimulatedStream implements ClientResponseObserver<AgentMessage, ControlMessage> {

    /** What the simulator learns from a stream. Called on gRPC's callback threads. */
    interface Listener {
        void welcomed(long helloToWelcomeNanos);

        /** The stream ended without the simulator closing it: before its Welcome (a failed connect) or after (a drop). */
        void ended(boolean afterWelcome, Status status);

        void heartbeatSent(boolean backpressured);
    }

    private static final long GIB = 1L << 30;
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    private final ManagedChannel channel;
    private final ScheduledExecutorService timers;
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ClientCallStreamObserver<AgentMessage> requests;
    private volatile ScheduledFuture<?> heartbeats;
    private volatile long helloSentNanos;
    private volatile boolean welcomed;

    SimulatedStream(ManagedChannel channel, ScheduledExecutorService timers, Listener listener) {
        this.channel = channel;
        this.timers = timers;
        this.listener = listener;
    }

    /** Opens the stream and says Hello with these facts. */
    void start(HostFacts facts) {
        helloSentNanos = System.nanoTime();
        AgentServiceGrpc.newStub(channel).connect(this);
        send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setFacts(facts).setSentAt(timestamp(Instant.now()))).build());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
        requests = requestStream;
    }

    @Override
    public void onNext(ControlMessage message) {
        if (!message.hasWelcome() || welcomed) {
            return;
        }
        welcomed = true;
        listener.welcomed(System.nanoTime() - helloSentNanos);
        long interval = interval(message.getWelcome()).toMillis();
        // A fleet's agents started at unrelated moments, so their heartbeats are spread over the interval, not in step.
        long firstAfter = ThreadLocalRandom.current().nextLong(interval);
        heartbeats = timers.scheduleAtFixedRate(this::heartbeat, firstAfter, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onError(Throwable error) {
        end(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
        end(Status.OK);
    }

    /** Ends the stream from the simulator's side, as a killed agent would; not reported as a drop. */
    void cancel() {
        if (ended.compareAndSet(false, true)) {
            stopHeartbeats();
            ClientCallStreamObserver<AgentMessage> stream = requests;
            if (stream != null) {
                synchronized (this) {
                    stream.cancel("the benchmark is over", null);
                }
            }
        }
        channel.shutdownNow();
    }

    private void end(Status status) {
        if (ended.compareAndSet(false, true)) {
            stopHeartbeats();
            channel.shutdownNow();
            listener.ended(welcomed, status);
        }
    }

    private void heartbeat() {
        if (ended.get()) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean backpressured = !requests.isReady();
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setSentAt(timestamp(Instant.now()))
                .setLoadAverage1M(random.nextDouble(0, 4))
                .setFreeMemoryBytes(random.nextLong(8 * GIB, 20 * GIB))
                .setFreeStorageBytes(random.nextLong(200 * GIB, 400 * GIB))
                .setGuestCount(random.nextInt(0, 20))).build());
        listener.heartbeatSent(backpressured);
    }

    /** gRPC's request stream is not thread-safe; Hello, heartbeats and cancel come from different threads. */
    private synchronized void send(AgentMessage message) {
        if (!ended.get()) {
            requests.onNext(message);
        }
    }

    private void stopHeartbeats() {
        ScheduledFuture<?> timer = heartbeats;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The Welcome's interval, with the real agent's floor, so a broken Welcome cannot make the simulator spin. */
    private static Duration interval(Welcome welcome) {
        Duration asked = Duration.ofSeconds(welcome.getHeartbeatInterval().getSeconds(), welcome.getHeartbeatInterval().getNanos());
        return asked.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : asked;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}

package io.freehold.controlplane.agentlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes heartbeats to the database in batches: one thread takes whatever heartbeats arrived while its previous
 * transaction was committing and records them all in the next one ({@link AgentSessions#heartbeats}). With 10,000
 * agents at one heartbeat per 5 s that is 2,000 heartbeats a second; one fsynced transaction each would cost most of
 * a small machine, while a batch costs about what one does. There is no timer: when heartbeats are rare a batch holds
 * one and goes out at once, so batching adds latency only when it saves work.
 *
 * <p>A heartbeat's outcome is known only once its batch committed; {@link #submit} completes then, on this writer's
 * thread. A batch that fails (a lost deadlock, the database away) is retried one heartbeat at a time, so one bad row
 * cannot fail the others. Stops after the agent endpoint (a lower phase), so streams cancelled at shutdown still
 * find it running.
 */
@Component
class HeartbeatWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatWriter.class);
    /** Bounds one transaction's statements and row locks; far above what arrives during one commit. */
    private static final int MAX_BATCH = 1000;

    private record Pending(ReceivedHeartbeat heartbeat, long receivedNanos, CompletableFuture<AgentSessions.Beat> outcome) {
    }

    private final AgentSessions sessions;
    private final AgentLinkMetrics metrics;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Thread writer;
    private volatile boolean running;

    HeartbeatWriter(AgentSessions sessions, AgentLinkMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /**
     * Queues a heartbeat for the next batch. At most one heartbeat per stream may be pending at a time, as gRPC's flow
     * control gives them: a stream asks for its next message only when this one completed.
     *
     * @return its outcome once committed; failed with UNAVAILABLE when it could not be recorded or this writer is stopped
     */
    CompletableFuture<AgentSessions.Beat> submit(ReceivedHeartbeat heartbeat) {
        CompletableFuture<AgentSessions.Beat> outcome = new CompletableFuture<>();
        if (!running) {
            outcome.completeExceptionally(Status.UNAVAILABLE.withDescription("the control plane is shutting down").asRuntimeException());
            return outcome;
        }
        queue.add(new Pending(heartbeat, System.nanoTime(), outcome));
        return outcome;
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::run, "heartbeat-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.outcome().completeExceptionally(Status.UNAVAILABLE.withDescription("the control plane is shutting down").asRuntimeException());
        }
    }

    private void write(List<Pending> batch) {
        Map<ReceivedHeartbeat, AgentSessions.Beat> outcomes;
        try {
            outcomes = sessions.heartbeats(batch.stream().map(Pending::heartbeat).toList());
            metrics.heartbeatBatchWritten(batch.size());
        } catch (RuntimeException e) {
            log.warn("a batch of {} heartbeats failed ({}); recording them one by one", batch.size(), e.toString());
            batch.forEach(this::writeAlone);
            return;
        }
        batch.forEach(pending -> complete(pending, outcomes.get(pending.heartbeat())));
    }

    private void writeAlone(Pending pending) {
        ReceivedHeartbeat heartbeat = pending.heartbeat();
        try {
            complete(pending, sessions.heartbeat(heartbeat.hostId(), heartbeat.connectionId(), heartbeat.utilisation(),
                    heartbeat.counters()));
        } catch (RuntimeException e) {
            pending.outcome().completeExceptionally(e);
        }
    }

    private void complete(Pending pending, AgentSessions.Beat outcome) {
        metrics.heartbeatHandled(outcome, pending.receivedNanos());
        pending.outcome().complete(outcome);
    }

    @Override
    public void stop() {
        running = false;
        Thread current = writer;
        if (current != null) {
            try {
                current.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writer = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after {@link AgentLinkServer}, whose streams hand heartbeats to it. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }
}

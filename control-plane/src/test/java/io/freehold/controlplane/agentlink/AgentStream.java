package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/** The agent's end of one Connect stream: what it sends, what it got back, and how the stream ended. */
final class AgentStream implements AutoCloseable {

    private final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final CompletableFuture<ClientCallStreamObserver<AgentMessage>> requests = new CompletableFuture<>();
    private ScheduledExecutorService heartbeats;

    AgentStream(AgentServiceGrpc.AgentServiceStub stub) {
        stub.connect(new ClientResponseObserver<AgentMessage, ControlMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
                requests.complete(requestStream);
            }

            @Override
            public void onNext(ControlMessage message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
    }

    synchronized void send(AgentMessage message) {
        requests.join().onNext(message);
    }

    /** The next message from the control plane; fails the test when none comes within 5 s. */
    ControlMessage next() {
        try {
            ControlMessage message = received.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("a message from the control plane within 5 s (stream: %s)", closed.getNow(null)).isNotNull();
            return message;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message if one comes within {@code wait}, else null. */
    ControlMessage nextWithin(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How the control plane ended the stream; fails the test when it stays open for 5 s. */
    Status awaitClose() {
        try {
            return closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream was not closed within 5 s", e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    void startHeartbeats(Duration interval) {
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> send(TestAgent.heartbeat()), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            try {
                heartbeats.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the stream the way an agent that exits cleanly does. */
    synchronized void halfClose() {
        requests.join().onCompleted();
    }

    /** Drops the stream the way a killed agent or a cut connection does, as far as the server can tell. */
    void cancel() {
        requests.join().cancel("test agent went away", null);
    }

    @Override
    public void close() {
        stopHeartbeats();
        if (!closed.isDone()) {
            cancel();
        }
    }
}

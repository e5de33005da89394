package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.controlplane.platform.FaultPoints;
import io.freehold.controlplane.platform.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the command log to the hosts whose streams this replica holds: every poll interval it reads
 * their pending commands never delivered, or delivered so long ago that the answer must have been lost,
 * and sends them in seq order. At least once: a replica that dies between sending and recording sends
 * again, as does the next replica after the host reconnects; the agent applies idempotently.
 */
@Component
class CommandDelivery {

    private static final Logger log = LoggerFactory.getLogger(CommandDelivery.class);
    /** Commands read per poll; more wait for the next one. */
    private static final int BATCH = 500;
    private static final String READ_CONSOLE = "ReadConsole";

    private final Map<String, ConnectStream> streams = new ConcurrentHashMap<>();
    private final AgentCommandStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration redeliverAfter;
    private final TransactionTemplate transactions;

    CommandDelivery(AgentCommandStore store, WorkQueue queue, Clock clock,
                    @Value("${freehold.agentlink.command-redelivery-after}") Duration redeliverAfter, TransactionTemplate transactions) {
        this.transactions = transactions;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.redeliverAfter = redeliverAfter;
    }

    /** The host's stream speaks commands: what is pending for the host is due at once, whoever sent it before. */
    void opened(String hostId, ConnectStream stream) {
        streams.put(hostId, stream);
        store.due(hostId);
    }

    void closed(String hostId, ConnectStream stream) {
        streams.remove(hostId, stream);
    }

    /**
     * Records the answer (with a ReadConsole's ConsoleTail, for whichever replica waits for it) and, in the same
     * transaction, queues the command's target for its reconciler: a target {@code instance:<id>} is key
     * {@code <id>} of work kind {@code instance}. A console read changes nothing on the host, so its answer
     * queues nothing: no reconciler must act on it.
     */
    @Transactional
    void answered(String hostId, CommandResult result) {
        record(hostId, result);
    }

    private void record(String hostId, CommandResult result) {
        Optional<AgentCommandStore.Completed> completed = store.complete(hostId, result.getSeq(), result.getCommandId(), result.getSucceeded(),
                result.getFailureCode(), result.getFailureReason(), result.hasConsole() ? result.getConsole().toByteArray() : null,
                clock.instant());
        if (completed.isEmpty()) {
            log.debug("host {} answered command {} (seq {}), which is no longer pending", hostId, result.getCommandId(), result.getSeq());
            return;
        }
        if (READ_CONSOLE.equals(completed.get().type())) {
            return;
        }
        String target = completed.get().target();
        int colon = target.indexOf(':');
        queue.enqueue(target.substring(0, colon), target.substring(colon + 1), clock.instant());
    }

    @Scheduled(fixedDelayString = "${freehold.agentlink.command-poll-interval}")
    void deliver() {
        if (streams.isEmpty()) {
            return;
        }
        List<String> sent = new ArrayList<>();
        for (AgentCommandStore.Pending pending : store.deliverable(streams.keySet(), clock.instant().minus(redeliverAfter),
                clock.instant().minus(AgentCommands.CONSOLE_READ_LIFETIME), BATCH)) {
            ConnectStream stream = streams.get(pending.hostId());
            FaultPoints.reach(FaultPoints.Point.AFTER_COMMAND_WRITE);
            Command command = command(pending);
            if (stream != null && command.getPutGuest().hasImage() && stream.version() < SessionTerms.IMAGES_AND_CONSOLE_VERSION) {
                refuse(pending.hostId(), command, stream.version());
            } else if (stream != null && stream.deliver(command)) {
                sent.add(pending.id());
            }
        }
        if (!sent.isEmpty()) {
            store.delivered(sent, clock.instant());
        }
    }

    /**
     * Answers, on an older agent's behalf, a PutGuest it would misread: it would ignore the image and the seed it
     * does not know and start the guest on an empty disk. The instance fails with the reason instead.
     */
    private void refuse(String hostId, Command command, int version) {
        log.warn("host {} speaks protocol version {}, which cannot boot images; command {} for {} failed", hostId, version,
                command.getCommandId(), command.getPutGuest().getInstanceId());
        CommandResult refusal = CommandResult.newBuilder().setSeq(command.getSeq()).setCommandId(command.getCommandId()).setSucceeded(false)
                .setFailureCode("UNSUPPORTED")
                .setFailureReason("the host's agent speaks protocol version " + version + ", which cannot boot images (version "
                        + SessionTerms.IMAGES_AND_CONSOLE_VERSION + " can): upgrade the agent")
                .build();
        transactions.executeWithoutResult(status -> record(hostId, refusal));
    }

    private static Command command(AgentCommandStore.Pending pending) {
        try {
            return Command.parseFrom(pending.command());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("command " + pending.id() + " holds no Command message", e);
        }
    }
}

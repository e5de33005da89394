package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.util.Optional;

import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.PutGuest;
import io.freehold.controlplane.platform.ids.IdGenerator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How a decision reaches a host: commands written in the deciding transaction (ARCHITECTURE §3.3), so
 * that a decision and its commands commit together or not at all. Whichever replica holds the host's
 * stream delivers them ({@link CommandDelivery}); a newer command for the same target on the same host
 * supersedes the ones still pending, since each says the whole desired state.
 */
@Component
public class AgentCommands {

    private static final String ID_PREFIX = "cmd";

    private final AgentCommandStore store;
    private final IdGenerator ids;
    private final Clock clock;

    AgentCommands(AgentCommandStore store, IdGenerator ids, Clock clock) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    /** @return the command's id */
    @Transactional(propagation = Propagation.MANDATORY)
    public String putGuest(String hostId, PutGuest guest) {
        return enqueue(hostId, "instance:" + guest.getInstanceId(), guest.getGeneration(), "PutGuest",
                Command.newBuilder().setPutGuest(guest));
    }

    /** @return the command's id */
    @Transactional(propagation = Propagation.MANDATORY)
    public String deleteGuest(String hostId, DeleteGuest guest) {
        return enqueue(hostId, "instance:" + guest.getInstanceId(), guest.getGeneration(), "DeleteGuest",
                Command.newBuilder().setDeleteGuest(guest));
    }

    /**
     * The newest command for the target on the host that a newer one did not supersede, with its answer
     * when it came: what a reconciler needs to know whether its decision was carried out.
     */
    @Transactional(readOnly = true)
    public Optional<CommandState> latest(String hostId, String target) {
        return store.latest(hostId, target).map(latest -> new CommandState(latest.type(), latest.generation(), latest.state(),
                Optional.ofNullable(latest.failureCode()), Optional.ofNullable(latest.failureReason()), latest.seq()));
    }

    /**
     * A command as its writer sees it later.
     *
     * @param type {@code PutGuest} or {@code DeleteGuest}
     * @param state {@code pending}, {@code succeeded} or {@code failed}
     * @param seq its place in the host's command log
     */
    public record CommandState(String type, long generation, String state, Optional<String> failureCode, Optional<String> failureReason,
                               long seq) {
    }

    private String enqueue(String hostId, String target, long generation, String type, Command.Builder command) {
        String id = ids.next(ID_PREFIX);
        long seq = store.nextSeq(hostId);
        store.supersede(hostId, target, clock.instant());
        store.insert(id, hostId, seq, target, generation, type, command.setSeq(seq).setCommandId(id).build().toByteArray(), clock.instant());
        return id;
    }
}

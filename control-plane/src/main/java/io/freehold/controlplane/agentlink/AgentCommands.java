package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.protobuf.InvalidProtocolBufferException;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.ConsoleTail;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.ImagePart;
import io.freehold.agent.v1.PutGuest;
import io.freehold.agent.v1.ReadConsole;
import io.freehold.controlplane.platform.ids.IdGenerator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How a decision reaches a host: commands written in the deciding transaction (ARCHITECTURE §3.3), so
 * that a decision and its commands commit together or not at all. Whichever replica holds the host's
 * stream delivers them ({@link CommandDelivery}); a newer command for the same target on the same host
 * supersedes the ones still pending, since each says the whole desired state.
 *
 * <p>Reading a console is request/response work a REST call waits for: a {@code ReadConsole} command
 * whose answer the replica holding the stream stores with the command, so that any replica can read it
 * ({@link #readConsole}, {@link #consoleAnswer}). Such a command has a target of its own, so it never
 * supersedes nor is superseded; nobody waits for one older than {@link #CONSOLE_READ_LIFETIME}, so it is
 * then no longer sent, and expired.
 */
@Component
public class AgentCommands {

    /** How long a console read may wait for its delivery and answer; far beyond any REST caller's patience. */
    static final Duration CONSOLE_READ_LIFETIME = Duration.ofSeconds(60);

    private static final String ID_PREFIX = "cmd";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A console read carries out no generation of its target; the column needs a positive one. */
    private static final long NO_GENERATION = 1;

    private final AgentCommandStore store;
    private final AgentSessionStore sessions;
    private final IdGenerator ids;
    private final Clock clock;

    AgentCommands(AgentCommandStore store, AgentSessionStore sessions, IdGenerator ids, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Writes a PutGuest and, with it, the SHA-256 of every part of its image: the host may fetch exactly those
     * parts ({@code FetchImage}), and no others, for as long as the command is kept.
     *
     * @return the command's id
     * @throws IllegalArgumentException when an image part's SHA-256 is not 64 lowercase hex digits
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String putGuest(String hostId, PutGuest guest) {
        Set<String> parts = imageParts(guest);
        String id = enqueue(hostId, "instance:" + guest.getInstanceId(), guest.getGeneration(), "PutGuest",
                Command.newBuilder().setPutGuest(guest), true);
        store.insertImages(id, parts);
        return id;
    }

    /** @return the command's id */
    @Transactional(propagation = Propagation.MANDATORY)
    public String deleteGuest(String hostId, DeleteGuest guest) {
        return enqueue(hostId, "instance:" + guest.getInstanceId(), guest.getGeneration(), "DeleteGuest",
                Command.newBuilder().setDeleteGuest(guest), true);
    }

    /**
     * Asks the host for the end of a guest's serial console: writes a ReadConsole command, if the host has a live
     * session that speaks protocol version 4, and commits it (in its own transaction unless the caller has one) so
     * that the replica holding the stream sends it within its poll interval. Wait for the answer with
     * {@link #consoleAnswer}.
     */
    @Transactional
    public ConsoleRequest readConsole(String hostId, ReadConsole read) {
        Optional<Integer> version = sessions.liveVersion(hostId, clock.instant());
        if (version.isEmpty()) {
            return new ConsoleRequest.NotConnected();
        }
        if (version.get() < SessionTerms.IMAGES_AND_CONSOLE_VERSION) {
            return new ConsoleRequest.TooOld(version.get(), SessionTerms.IMAGES_AND_CONSOLE_VERSION);
        }
        return new ConsoleRequest.Sent(enqueue(hostId, "console:" + read.getInstanceId(), NO_GENERATION, "ReadConsole",
                Command.newBuilder().setReadConsole(read), false));
    }

    /**
     * The host's answer to a console read, once recorded, by whichever replica: empty while it is pending (or when
     * there is no such command any more).
     */
    @Transactional(readOnly = true)
    public Optional<ConsoleAnswer> consoleAnswer(String commandId) {
        return store.outcome(commandId).filter(outcome -> "ReadConsole".equals(outcome.type()) && !"pending".equals(outcome.state()))
                .map(outcome -> {
                    if (!"succeeded".equals(outcome.state())) {
                        return new ConsoleAnswer.Failed(outcome.failureCode(), outcome.failureReason(), outcome.completedAt());
                    }
                    ConsoleTail tail = tail(commandId, outcome.result());
                    return new ConsoleAnswer.Tail(tail.getData().toByteArray(), tail.getTruncated(), outcome.completedAt());
                });
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

    /** What became of a request to read a console. */
    public sealed interface ConsoleRequest {
        /** The command is written and committed. */
        record Sent(String commandId) implements ConsoleRequest {
        }

        /** No replica holds a live stream of the host. */
        record NotConnected() implements ConsoleRequest {
        }

        /** The host's agent speaks a protocol version without ReadConsole. */
        record TooOld(int sessionVersion, int neededVersion) implements ConsoleRequest {
        }
    }

    /** The host's answer to a console read. */
    public sealed interface ConsoleAnswer {
        /** The last bytes of the console log as the guest wrote them; {@code truncated} when the log holds more. */
        record Tail(byte[] data, boolean truncated, Instant answeredAt) implements ConsoleAnswer {
        }

        /** The host could not read it (its failure code and words), or it did not answer within the read's lifetime. */
        record Failed(String code, String reason, Instant answeredAt) implements ConsoleAnswer {
        }
    }

    /** The image parts a PutGuest names, checked: they become rows whose SHA-256 FetchImage is authorized by. */
    static Set<String> imageParts(PutGuest guest) {
        Set<String> parts = new LinkedHashSet<>();
        if (!guest.hasImage()) {
            return parts;
        }
        GuestImage image = guest.getImage();
        switch (image.getBootCase()) {
            case DISK -> addPart(parts, "image.disk", image.getDisk());
            case KERNEL -> {
                addPart(parts, "image.kernel.kernel", image.getKernel().getKernel());
                if (image.getKernel().hasInitrd()) {
                    addPart(parts, "image.kernel.initrd", image.getKernel().getInitrd());
                }
            }
            case BOOT_NOT_SET -> {
                // An image with no part to fetch references nothing.
            }
        }
        return parts;
    }

    private static void addPart(Set<String> parts, String field, ImagePart part) {
        if (!SHA256.matcher(part.getSha256()).matches()) {
            throw new IllegalArgumentException(field + ".sha256 must be 64 lowercase hex digits, not '" + part.getSha256() + "'");
        }
        parts.add(part.getSha256());
    }

    private static ConsoleTail tail(String commandId, byte[] result) {
        if (result == null) {
            // An agent that answered success without a tail read nothing: the guest wrote nothing yet.
            return ConsoleTail.getDefaultInstance();
        }
        try {
            return ConsoleTail.parseFrom(result);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("command " + commandId + " holds no ConsoleTail", e);
        }
    }

    private String enqueue(String hostId, String target, long generation, String type, Command.Builder command, boolean supersedes) {
        String id = ids.next(ID_PREFIX);
        long seq = store.nextSeq(hostId);
        if (supersedes) {
            store.supersede(hostId, target, clock.instant());
        }
        store.insert(id, hostId, seq, target, generation, type, command.setSeq(seq).setCommandId(id).build().toByteArray(), clock.instant());
        return id;
    }
}

package io.freehold.controlplane.compute;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import io.freehold.agent.v1.ReadConsole;
import io.freehold.controlplane.agentlink.AgentCommands;
import io.freehold.controlplane.agentlink.AgentCommands.ConsoleAnswer;
import io.freehold.controlplane.agentlink.AgentCommands.ConsoleRequest;
import io.freehold.controlplane.compute.decision.InstancePhase;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Service;

/**
 * Reads the end of an instance's serial console from its host (docs/compute.md#console). The read is a
 * ReadConsole command in the host's command log; the replica that holds the host's stream sends it and stores the
 * answer in PostgreSQL, and this replica — whichever took the REST call — polls for that answer for at most the
 * console timeout (5 s by default). Nothing here holds a transaction or a database connection while it waits. A
 * read changes nothing, on the host or in the instance's status, and is not audited.
 */
@Service
class InstanceConsoles {

    static final int DEFAULT_MAX_BYTES = 16 * 1024;
    static final int MAX_MAX_BYTES = 64 * 1024;
    /** One primary-key read per interval: cheap enough, and a small part of the host's usual answer time. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final InstanceService instances;
    private final InstanceStore store;
    private final AgentCommands commands;
    private final Duration timeout;

    InstanceConsoles(InstanceService instances, InstanceStore store, AgentCommands commands, ComputeProperties properties) {
        this.instances = instances;
        this.store = store;
        this.commands = commands;
        this.timeout = properties.consoleTimeout();
    }

    /**
     * What the instance's guest last wrote to its console, at most {@code maxBytes} bytes of it.
     *
     * @throws ApiProblem 400 for a bad {@code maxBytes}; 404 for an instance the caller may not see; 409 when the
     *         instance has no guest on a host to read (not placed yet, being deleted) or its agent is too old; 503
     *         when its host is unreachable; 502 when the host could not read the console; 504 when it did not
     *         answer within the timeout
     */
    InstanceConsole read(Caller caller, String id, String maxBytesParameter) {
        int maxBytes = maxBytes(maxBytesParameter);
        Instance instance = instances.get(caller, id);
        String hostId = instance.status().hostId();
        InstancePhase phase = instance.status().phase();
        if (hostId == null || phase == InstancePhase.PENDING) {
            throw ApiProblem.conflict("instance '" + instance.name() + "' is not placed on a host yet; its console exists once it is");
        }
        if (phase == InstancePhase.SCHEDULED) {
            throw ApiProblem.conflict("instance '" + instance.name() + "' has a host but no guest there yet; try again once it is "
                    + InstancePhase.PROVISIONING);
        }
        if (phase == InstancePhase.DELETING) {
            throw ApiProblem.conflict("instance '" + instance.name() + "' is being deleted");
        }
        store.hostUnreachable(hostId).ifPresent(reason -> {
            throw new ApiProblem(ProblemType.HOST_UNAVAILABLE, "cannot read the console of instance '" + instance.name() + "': " + reason);
        });
        ConsoleRequest request = commands.readConsole(hostId, ReadConsole.newBuilder().setInstanceId(instance.id()).setMaxBytes(maxBytes)
                .build());
        if (request instanceof ConsoleRequest.NotConnected) {
            throw new ApiProblem(ProblemType.HOST_UNAVAILABLE, "cannot read the console of instance '" + instance.name() + "': host "
                    + hostId + " is not connected to the control plane; try again once it is READY");
        }
        if (request instanceof ConsoleRequest.TooOld tooOld) {
            throw ApiProblem.conflict("cannot read the console of instance '" + instance.name() + "': the agent on host " + hostId
                    + " speaks protocol version " + tooOld.sessionVersion() + "; reading a console needs " + tooOld.neededVersion()
                    + " (upgrade the agent)");
        }
        String commandId = ((ConsoleRequest.Sent) request).commandId();
        ConsoleAnswer answer = await(commandId).orElseThrow(() -> new ApiProblem(ProblemType.HOST_TIMEOUT,
                "host " + hostId + " did not answer within " + timeout.toSeconds() + " s; try again"));
        if (answer instanceof ConsoleAnswer.Failed failed) {
            throw new ApiProblem(ProblemType.HOST_FAILED, "host " + hostId + " could not read the console of instance '" + instance.name()
                    + "': " + failed.code() + (failed.reason() == null || failed.reason().isBlank() ? "" : ": " + failed.reason()));
        }
        return output(instance.id(), (ConsoleAnswer.Tail) answer, maxBytes);
    }

    private Optional<ConsoleAnswer> await(String commandId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ConsoleAnswer> answer = commands.consoleAnswer(commandId);
            long left = deadline - System.nanoTime();
            if (answer.isPresent() || left <= 0) {
                return answer;
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** An agent that sent more than it was asked for is cut to the end it was asked for, and says so. */
    private static InstanceConsole output(String instanceId, ConsoleAnswer.Tail tail, int maxBytes) {
        byte[] data = tail.data();
        boolean truncated = tail.truncated() || data.length > maxBytes;
        if (data.length > maxBytes) {
            data = Arrays.copyOfRange(data, data.length - maxBytes, data.length);
        }
        return new InstanceConsole(instanceId, text(data, truncated), truncated, tail.answeredAt());
    }

    /**
     * The bytes as UTF-8, malformed sequences replaced by U+FFFD. A tail cut from a longer log may begin inside a
     * character: its leftover continuation bytes (at most three) are dropped rather than shown as a replacement.
     */
    static String text(byte[] data, boolean truncated) {
        int start = 0;
        while (truncated && start < Math.min(3, data.length) && (data[start] & 0xC0) == 0x80) {
            start++;
        }
        return new String(data, start, data.length - start, StandardCharsets.UTF_8);
    }

    private static int maxBytes(String parameter) {
        if (parameter == null) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            int value = Integer.parseInt(parameter);
            if (value >= 1 && value <= MAX_MAX_BYTES) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ApiProblem.malformed("maxBytes", "must be a whole number from 1 to " + MAX_MAX_BYTES);
    }
}

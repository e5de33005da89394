package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.ImagePart;
import io.freehold.agent.v1.PutGuest;
import io.freehold.agent.v1.ReadConsole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The command log over real mutual-TLS streams: commands written in a transaction reach the host's
 * version-2 stream in seq order, answers are recorded once, a newer command for a target supersedes the
 * pending one, an unanswered command comes again on the next stream, and a version-1 agent gets none.
 */
class CommandLogTest extends AgentLinkApiTest {

    private static final Duration HEARTBEATS = Duration.ofMillis(500);

    @Autowired
    AgentCommands commands;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ConsoleReadSweep sweep;

    @Test
    void commandsReachTheHostInSeqOrderAndEachAnswerIsRecordedOnce() {
        String hostname = uniqueHostname("commands");
        TestAgent agent = joined(hostname);
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_2);

        String first = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-a", 1)));
        String second = inTransaction(() -> commands.deleteGuest(agent.hostId, DeleteGuest.newBuilder().setInstanceId("i-cmd-b")
                .setGeneration(3).build()));

        Command one = command(stream);
        Command two = command(stream);
        assertThat(List.of(one.getCommandId(), two.getCommandId())).containsExactly(first, second);
        assertThat(two.getSeq()).isGreaterThan(one.getSeq());
        assertThat(one.getPutGuest().getMemoryMib()).isEqualTo(512);
        assertThat(two.getDeleteGuest().getGeneration()).isEqualTo(3);

        stream.send(result(one, true, "", ""));
        stream.send(result(two, false, "OPERATION_FAILED", "domain is locked"));
        stream.send(result(one, false, "INTERNAL", "a late second answer"));
        awaitState(first, "succeeded");
        awaitState(second, "failed");
        assertThat(row(second)).containsEntry("failure_code", "OPERATION_FAILED").containsEntry("failure_reason", "domain is locked");
        assertThat(row(first)).as("the first answer stands").containsEntry("state", "succeeded");
        assertThat(stream.nextWithin(Duration.ofMillis(600))).as("nothing is sent again once answered").isNull();
    }

    @Test
    void aNewerCommandForTheSameTargetSupersedesOneStillPending() {
        String hostname = uniqueHostname("supersede");
        TestAgent agent = joined(hostname);
        String older = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-c", 1)));
        String newer = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-c", 2)));

        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_2);

        Command delivered = command(stream);
        assertThat(delivered.getCommandId()).isEqualTo(newer);
        assertThat(delivered.getPutGuest().getGeneration()).isEqualTo(2);
        assertThat(row(older)).containsEntry("state", "superseded");
        assertThat(stream.nextWithin(Duration.ofMillis(600))).isNull();
    }

    @Test
    void aCommandLeftUnansweredComesAgainOnTheHostsNextStream() {
        String hostname = uniqueHostname("redeliver");
        TestAgent agent = joined(hostname);
        AgentStream first = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_2);
        String id = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-d", 1)));
        assertThat(command(first).getCommandId()).isEqualTo(id);
        first.close();

        AgentStream second = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_2);

        Command again = command(second);
        assertThat(again.getCommandId()).isEqualTo(id);
        // The replica records a delivery just after it sent the command, so the agent may see it first.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (((Number) row(id).get("deliveries")).intValue() < 2 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
        assertThat(((Number) row(id).get("deliveries")).intValue()).isEqualTo(2);
    }

    @Test
    void anAgentOfProtocolVersionOneGetsNoCommands() {
        String hostname = uniqueHostname("v1");
        TestAgent agent = joined(hostname);
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_1);

        String id = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-e", 1)));

        assertThat(stream.nextWithin(Duration.ofSeconds(1))).isNull();
        assertThat(row(id)).containsEntry("state", "pending").containsEntry("deliveries", 0);
    }

    @Test
    void aConsoleReadNeitherSupersedesTheInstancesCommandsNorIsSupersededByThem() {
        String hostname = uniqueHostname("console-target");
        TestAgent agent = joined(hostname);
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_4);

        List<String> ids = transactions.execute(status -> List.of(
                commands.putGuest(agent.hostId, guest("i-cmd-f", 1)),
                sent(commands.readConsole(agent.hostId, ReadConsole.newBuilder().setInstanceId("i-cmd-f").setMaxBytes(10).build())),
                commands.putGuest(agent.hostId, guest("i-cmd-f", 2))));

        Command read = command(stream);
        Command put = command(stream);
        assertThat(List.of(read.getCommandId(), put.getCommandId())).containsExactly(ids.get(1), ids.get(2));
        assertThat(read.getReadConsole().getMaxBytes()).isEqualTo(10);
        assertThat(row(ids.get(0))).as("the newer PutGuest supersedes the older").containsEntry("state", "superseded");
        assertThat(row(ids.get(1))).as("but not the console read between them").containsEntry("state", "pending");

        String again = sent(commands.readConsole(agent.hostId, ReadConsole.newBuilder().setInstanceId("i-cmd-f").setMaxBytes(10).build()));
        assertThat(command(stream).getCommandId()).isEqualTo(again);
        assertThat(row(ids.get(1))).as("a second read leaves the first alone").containsEntry("state", "pending");
        assertThat(row(ids.get(2))).as("and the PutGuest").containsEntry("state", "pending");
    }

    @Test
    void aConsoleReadNobodyWaitsForIsNotSentThenExpiredThenDeleted() {
        String hostname = uniqueHostname("console-expiry");
        TestAgent agent = joined(hostname);
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_4);
        // Made two minutes ago, as far as the log can tell: older than any REST call waits.
        String old = transactions.execute(status -> {
            String id = sent(commands.readConsole(agent.hostId, ReadConsole.newBuilder().setInstanceId("i-cmd-g").setMaxBytes(10).build()));
            jdbc.sql("update agent_command set created_at = now() - interval '2 minutes' where id = :id").param("id", id).update();
            return id;
        });
        assertThat(stream.nextWithin(Duration.ofMillis(600))).as("a stale read is not sent").isNull();

        sweep.sweep();
        assertThat(row(old)).containsEntry("state", "failed").containsEntry("failure_code", "EXPIRED");
        String fresh = sent(transactions.execute(status -> commands.readConsole(agent.hostId, ReadConsole.newBuilder()
                .setInstanceId("i-cmd-g").setMaxBytes(10).build())));
        assertThat(command(stream).getCommandId()).isEqualTo(fresh);

        jdbc.sql("update agent_command set created_at = now() - interval '11 minutes' where id = :id").param("id", old).update();
        sweep.sweep();
        assertThat(jdbc.sql("select count(*) from agent_command where id = :id").param("id", old).query(Long.class).single()).isZero();
        assertThat(row(fresh)).as("a read still waited for stays").containsEntry("state", "pending");
    }

    @Test
    void anOlderAgentIsNeverAskedToReadAConsole() {
        String hostname = uniqueHostname("console-v3");
        TestAgent agent = joined(hostname);
        speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_3);
        AgentCommands.ConsoleRequest refused = transactions.execute(status -> commands.readConsole(agent.hostId, ReadConsole.newBuilder()
                .setInstanceId("i-cmd-h").build()));
        assertThat((Object) refused).isEqualTo(new AgentCommands.ConsoleRequest.TooOld(3, 4));

        // A read written while the host's session row still said 4 (its agent was downgraded since) stays unsent.
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_3);
        jdbc.sql("update agent_session set protocol_version = 4 where host_id = :host").param("host", agent.hostId).update();
        String id = sent(transactions.execute(status -> commands.readConsole(agent.hostId, ReadConsole.newBuilder()
                .setInstanceId("i-cmd-h").build())));
        assertThat(stream.nextWithin(Duration.ofMillis(600))).isNull();
        assertThat(row(id)).containsEntry("state", "pending").containsEntry("deliveries", 0);
    }

    @Test
    void anOlderAgentIsNeverSentAnImageItWouldIgnoreTheCommandFailsWithTheReason() {
        String hostname = uniqueHostname("image-v3");
        TestAgent agent = joined(hostname);
        AgentStream stream = speaking(agent, hostname, ProtocolVersion.PROTOCOL_VERSION_3);
        PutGuest withImage = guest("i-cmd-i", 1).toBuilder().setImage(GuestImage.newBuilder().setImageId("img-test")
                .setDisk(ImagePart.newBuilder().setSha256("ab".repeat(32)).setSizeBytes(512))).build();

        String refused = inTransaction(() -> commands.putGuest(agent.hostId, withImage));
        String plain = inTransaction(() -> commands.putGuest(agent.hostId, guest("i-cmd-j", 1)));

        assertThat(command(stream).getCommandId()).as("a PutGuest without an image, which protocol 3 knows").isEqualTo(plain);
        assertThat(row(refused)).containsEntry("state", "failed").containsEntry("failure_code", "UNSUPPORTED")
                .containsEntry("deliveries", 0);
        assertThat((String) row(refused).get("failure_reason")).contains("protocol version 3, which cannot boot images");
    }

    private static String sent(AgentCommands.ConsoleRequest request) {
        assertThat((Object) request).isInstanceOf(AgentCommands.ConsoleRequest.Sent.class);
        return ((AgentCommands.ConsoleRequest.Sent) request).commandId();
    }

    private AgentStream speaking(TestAgent agent, String hostname, ProtocolVersion version) {
        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts(hostname).toBuilder().setProtocolVersion(version).build(), clock.instant()));
        assertThat(stream.next().getWelcome().getProtocolVersion()).isEqualTo(version);
        stream.startHeartbeats(HEARTBEATS);
        return stream;
    }

    /** The next command on the stream, skipping nothing: the stream carries only Welcome before commands here. */
    private static Command command(AgentStream stream) {
        ControlMessage message = stream.next();
        assertThat(message.hasCommand()).as("a Command, not %s", message.getBodyCase()).isTrue();
        return message.getCommand();
    }

    private String inTransaction(Supplier<String> work) {
        return transactions.execute(status -> work.get());
    }

    private static PutGuest guest(String instanceId, long generation) {
        return PutGuest.newBuilder().setInstanceId(instanceId).setGeneration(generation).setTenantId("t-test").setName("web")
                .setVcpus(1).setMemoryMib(512).setRootDiskGib(1).setPowerState(PowerState.POWER_STATE_RUNNING).build();
    }

    private static AgentMessage result(Command command, boolean succeeded, String code, String reason) {
        return AgentMessage.newBuilder().setCommandResult(CommandResult.newBuilder().setSeq(command.getSeq())
                .setCommandId(command.getCommandId()).setSucceeded(succeeded).setFailureCode(code).setFailureReason(reason)).build();
    }

    private Map<String, Object> row(String id) {
        return jdbc.sql("select state, deliveries, failure_code, failure_reason from agent_command where id = :id").param("id", id)
                .query().singleRow();
    }

    private void awaitState(String id, String state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!state.equals(row(id).get("state"))) {
            assertThat(System.nanoTime()).as("command %s to become %s", id, state).isLessThan(deadline);
            sleep(Duration.ofMillis(50));
        }
    }
}

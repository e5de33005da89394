package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.google.protobuf.ByteString;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.agent.v1.ConsoleTail;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.controlplane.compute.SchedulingPass;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Tests that play an instance's host over a real agent stream: they run the reconciler by hand, take the commands
 * for their instance off the stream and answer them as the agent would.
 */
abstract class InstanceHostTest extends AgentLinkApiTest {

    @Autowired
    SchedulingPass pass;

    /** Runs passes until nothing is due, as the background worker would within its interval. */
    void reconcile() {
        for (int i = 0; i < 100 && pass.runOnce() > 0; i++) {
            // another pass: more may be due
        }
    }

    /** Answers a ReadConsole with the console's tail, as the agent would, and waits until the control plane recorded it. */
    void answerConsole(AgentStream stream, Command command, byte[] data, boolean truncated) {
        stream.send(AgentMessage.newBuilder().setCommandResult(CommandResult.newBuilder().setSeq(command.getSeq())
                .setCommandId(command.getCommandId()).setSucceeded(true)
                .setConsole(ConsoleTail.newBuilder().setData(ByteString.copyFrom(data)).setTruncated(truncated))).build());
        awaitAnswered(command);
    }

    void answer(AgentStream stream, Command command) {
        answer(stream, command, true, "", "");
    }

    /** Answers as the agent would and waits until the control plane recorded the answer. */
    void answer(AgentStream stream, Command command, boolean succeeded, String code, String reason) {
        stream.send(AgentMessage.newBuilder().setCommandResult(CommandResult.newBuilder().setSeq(command.getSeq())
                .setCommandId(command.getCommandId()).setSucceeded(succeeded).setFailureCode(code).setFailureReason(reason)).build());
        awaitAnswered(command);
    }

    private void awaitAnswered(Command command) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ("pending".equals(jdbc.sql("select state from agent_command where id = :id").param("id", command.getCommandId())
                .query(String.class).single())) {
            assertThat(System.nanoTime()).as("the answer to %s recorded", command.getCommandId()).isLessThan(deadline);
            sleep(Duration.ofMillis(20));
        }
    }

    /**
     * The next command for this test's instance. Other tests' instances that waited for a host may be placed on this
     * one too (the tests share a database): their commands are left unanswered, and other messages are skipped.
     */
    static Command command(AgentStream stream, String instanceId) {
        while (true) {
            ControlMessage message = stream.next();
            if (!message.hasCommand()) {
                continue;
            }
            Command command = message.getCommand();
            String target = switch (command.getActionCase()) {
                case PUT_GUEST -> command.getPutGuest().getInstanceId();
                case DELETE_GUEST -> command.getDeleteGuest().getInstanceId();
                case READ_CONSOLE -> command.getReadConsole().getInstanceId();
                case ACTION_NOT_SET -> "";
            };
            if (target.equals(instanceId)) {
                return command;
            }
        }
    }

    JsonNode status(String token, String path) {
        return api.get(path, token).expect(200).json().path("status");
    }

    static JsonNode condition(JsonNode status, String type) {
        return status.path("conditions").valueStream().filter(c -> c.path("type").asString().equals(type)).findFirst().orElseThrow();
    }
}

package io.freehold.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.config.AgentConfigReader;
import io.freehold.agent.testing.TestCertificateAuthority;
import io.freehold.agent.testing.TestControlPlane;
import io.freehold.agent.testing.TestControlPlane.ReceivedReport;
import io.freehold.agent.v1.ActualGuest;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.GuestCounter;
import io.freehold.agent.v1.GuestPower;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.LifecycleEvent;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.PutGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * Lifecycle reports over a real link (protocol version 3) from an agent running in this JVM on libvirt's test driver:
 * each report goes out once per session until a ReportAck names it, survives the agent process that made it, and the
 * Hello and heartbeats carry the guests and their counters.
 */
class LifecycleReportsTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Freehold agent CA reports-test");
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final String ID = "i-lr-web-1";

    @TempDir
    Path tmp;
    private TestControlPlane server;
    /** Keeps the test driver's domains alive between two agent processes, as libvirtd would. */
    private Connect libvirt;
    private Agent agent;

    @BeforeEach
    void start() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        libvirt = new Connect("test:///default");
        server = new TestControlPlane(CA, HEARTBEAT, Duration.ofHours(1)).start();
        joined();
    }

    @AfterEach
    void stop() throws LibvirtException {
        if (agent != null) {
            agent.close();
        }
        server.close();
        for (Domain domain : libvirt.listAllDomains(0)) {
            if (!domain.getName().equals("test")) {
                if (domain.isActive() == 1) {
                    domain.destroy();
                }
                domain.undefine();
            }
        }
        libvirt.close();
    }

    @Test
    void aReportIsSentAgainOnEveryNewSessionUntilAcknowledgedAndNeverAfter() throws Exception {
        server.acknowledgeReports(false);
        agent = Agent.start(config());
        awaitStreams(1);

        server.send(put(1));
        List<GuestReport> first = awaitReports(1, 2);
        assertThat(first).extracting(GuestReport::getReportSeq, GuestReport::getEvent).containsExactly(
                tuple(1L, LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED),
                tuple(2L, LifecycleEvent.LIFECYCLE_EVENT_STARTED));

        server.acknowledgeReports(true);
        restartServer();
        assertThat(awaitReports(2, 2)).as("the same reports, on the next session").isEqualTo(first);
        await().atMost(5, TimeUnit.SECONDS).until(() -> RunTest.scrape(agent.metricsPort())
                .contains("freehold_agent_guest_reports_pending 0.0"));

        restartServer();
        awaitHeartbeats(3);
        assertThat(reportsOn(3)).as("acknowledged, so never sent again").isEmpty();
        assertThat(reportsOn(1)).as("once per session, however often the ledger changed").hasSize(2);
        assertThat(RunTest.scrape(agent.metricsPort())).contains("freehold_agent_guest_reports_sent_total 4.0");
    }

    @Test
    void reportsOfAnEarlierAgentProcessAreSentUnchangedByTheNextOne() throws Exception {
        server.acknowledgeReports(false);
        agent = Agent.start(config());
        awaitStreams(1);
        server.send(put(1));
        List<GuestReport> made = awaitReports(1, 2);
        agent.close();

        server.acknowledgeReports(true);
        agent = Agent.start(config());
        awaitStreams(2);
        List<GuestReport> resent = awaitReports(2, 2);

        assertThat(resent).isEqualTo(made);
        String newIncarnation = hello(2).getFacts().getIncarnationId();
        assertThat(newIncarnation).isNotEqualTo(made.get(0).getIncarnationId());
        awaitHeartbeats(2);
        assertThat(reportsOn(2)).as("the guest ran on through the restart: no new fact").hasSize(2);
    }

    @Test
    void helloCarriesTheGuestsAndHeartbeatsTheirRunningSeconds() throws Exception {
        agent = Agent.start(config());
        awaitStreams(1);
        server.send(put(5));
        awaitReports(1, 2);

        await().atMost(10, TimeUnit.SECONDS).until(() -> counterOf(lastHeartbeatCounters()).getRunningSeconds() >= 2);
        assertThat(counterOf(lastHeartbeatCounters()).getPower()).isEqualTo(GuestPower.GUEST_POWER_RUNNING);

        restartServer();
        Hello hello = hello(2);
        assertThat(hello.getGuestsObserved()).isTrue();
        assertThat(hello.getLastAppliedSeq()).isEqualTo(5);
        assertThat(hello.getGuestsList()).containsExactly(ActualGuest.newBuilder().setInstanceId(ID).setGeneration(1)
                .setRebootCount(0).setPower(GuestPower.GUEST_POWER_RUNNING).build());
        assertThat(hello.getForeignDomainsList()).extracting(io.freehold.agent.v1.ForeignDomain::getName).contains("test");
    }

    @Test
    void aControlPlaneThatSpeaksAnOlderVersionGetsNoReportsAndTheyWait() throws Exception {
        server.speaking(ProtocolVersion.PROTOCOL_VERSION_2);
        agent = Agent.start(config());
        awaitStreams(1);
        server.send(put(1));

        await().atMost(10, TimeUnit.SECONDS).until(() -> RunTest.scrape(agent.metricsPort())
                .contains("freehold_agent_guest_reports_pending 2.0"));
        awaitHeartbeats(1);
        assertThat(server.reports()).isEmpty();
    }

    private static ControlMessage put(long seq) {
        return ControlMessage.newBuilder().setCommand(Command.newBuilder().setSeq(seq).setCommandId("cmd-" + seq)
                .setPutGuest(PutGuest.newBuilder().setInstanceId(ID).setGeneration(1).setTenantId("t-reports")
                        .setName("web-1").setVcpus(1).setMemoryMib(128).setRootDiskGib(1)
                        .setPowerState(PowerState.POWER_STATE_RUNNING))).build();
    }

    private void restartServer() {
        server.stop();
        server.startOn(server.port());
        awaitStreams(server.connectCalls() + 1);
    }

    private void awaitStreams(int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.received().stream()
                .filter(r -> r.message().hasHello()).count() >= count);
    }

    private Hello hello(int stream) {
        return server.received().stream().filter(r -> r.message().hasHello()).skip(stream - 1L).findFirst().orElseThrow()
                .message().getHello();
    }

    /** Waits for heartbeats after the latest Hello, so that anything the agent had to send on that session is sent. */
    private void awaitHeartbeats(int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            List<AgentMessage> messages = server.received().stream().map(TestControlPlane.Received::message).toList();
            int lastHello = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i).hasHello()) {
                    lastHello = i;
                }
            }
            return messages.subList(lastHello, messages.size()).stream().filter(AgentMessage::hasHeartbeat).count() >= count;
        });
    }

    private List<GuestReport> awaitReports(int stream, int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> reportsOn(stream).size() >= count);
        return reportsOn(stream);
    }

    private List<GuestReport> reportsOn(int stream) {
        return server.reports().stream().filter(r -> r.stream() == stream).map(ReceivedReport::report).toList();
    }

    private List<GuestCounter> lastHeartbeatCounters() {
        List<AgentMessage> heartbeats = server.received().stream().map(TestControlPlane.Received::message)
                .filter(AgentMessage::hasHeartbeat).toList();
        return heartbeats.isEmpty() ? List.of() : heartbeats.get(heartbeats.size() - 1).getHeartbeat().getGuestCountersList();
    }

    private static GuestCounter counterOf(List<GuestCounter> counters) {
        return counters.stream().filter(c -> c.getInstanceId().equals(ID)).findFirst().orElse(GuestCounter.getDefaultInstance());
    }

    private void joined() {
        StringWriter err = new StringWriter();
        int exit = FreeholdAgent.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", CA.hash(),
                        "--state-dir", tmp.resolve("state").toString(), "--config", write("libvirt_uri: test:///default\n").toString());
        assertThat(exit).as(err.toString()).isZero();
    }

    private AgentConfig config() {
        return AgentConfigReader.read(write("""
                control_plane_addresses: [%s]
                state_dir: %s
                libvirt_uri: test:///default
                metrics_address: 127.0.0.1:0
                reconnect_initial_backoff: 100ms
                reconnect_max_backoff: 500ms
                reconnect_stable_after: 1s
                welcome_timeout: 2s
                """.formatted(server.address(), tmp.resolve("state"))));
    }

    private Path write(String yaml) {
        try {
            return Files.writeString(Files.createTempFile(tmp, "agent", ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

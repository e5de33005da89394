package io.freehold.controlplane.localagent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalHypervisorTest {

    private static final Path DIRECTORY = Path.of("/home/ops/.freehold/local-agent");

    @ParameterizedTest(name = "configured ''{0}'', root {1}, system answers {2}, session answers {3}: {4} with disks in {5}")
    @CsvSource(nullValues = "-", value = {
            // automatic: root takes the system daemon, whose QEMU cannot enter a home directory
            "-,                root, system, -,       qemu:///system,  /var/lib/freehold/agent/guests,     real",
            "'  ',             root, system, session, qemu:///system,  /var/lib/freehold/agent/guests,     real",
            "-,                root, -,      session, test:///default, /home/ops/.freehold/local-agent/guests, simulated",
            "-,                root, -,      -,       test:///default, /home/ops/.freehold/local-agent/guests, simulated",
            // automatic: a user that is not root never takes the system daemon, only its own session one
            "-,                user, system, session, qemu:///session, /home/ops/.freehold/local-agent/guests, real",
            "-,                user, system, -,       test:///default, /home/ops/.freehold/local-agent/guests, simulated",
            "-,                user, -,      -,       test:///default, /home/ops/.freehold/local-agent/guests, simulated",
            // the operator's choice wins, whatever answers
            "qemu:///system,   user, -,      -,       qemu:///system,  /var/lib/freehold/agent/guests,     real",
            "' test:///default ', root, system, -,    test:///default, /home/ops/.freehold/local-agent/guests, simulated",
            "qemu:///session,  root, system, -,       qemu:///session, /home/ops/.freehold/local-agent/guests, real",
    })
    void theHypervisorFollowsArchitectureSectionOne(String configured, String user, String system, String session, String uri,
                                                    String storage, String kind) {
        LocalHypervisor chosen = LocalHypervisor.choose(configured, user.equals("root"), system != null, session != null, DIRECTORY);

        assertThat(chosen.libvirtUri()).isEqualTo(uri);
        assertThat(chosen.guestStorage()).isEqualTo(Path.of(storage));
        assertThat(chosen.simulated()).isEqualTo(kind.equals("simulated"));
        assertThat(chosen.reason()).isNotBlank();
    }
}

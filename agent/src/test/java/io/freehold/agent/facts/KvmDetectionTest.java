package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.agent.config.KvmMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvmDetectionTest {

    @ParameterizedTest(name = "{0} exists={1} rw={2} modules=[{3}] -> {4}")
    @CsvSource(delimiter = '|', value = {
            "AUTO | true  | true  | kvm kvm_intel | true  | usable through kvm_intel",
            "AUTO | true  | true  | kvm kvm_amd   | true  | usable through kvm_amd",
            // This project's machines: /dev/kvm comes from a paravirtual module that hangs stock guests.
            "AUTO | true  | true  | kvm kvm_pvm   | false | it comes from kvm_pvm",
            "AUTO | true  | true  | ''            | false | neither kvm_intel nor kvm_amd is loaded",
            "AUTO | true  | false | kvm kvm_intel | false | not readable and writable",
            "AUTO | false | false | kvm kvm_intel | false | does not exist",
            "OFF  | true  | true  | kvm kvm_intel | false | off in the config",
    })
    void decides(KvmMode mode, boolean exists, boolean readWrite, String modules, boolean usable, String reason) {
        Set<String> loaded = Arrays.stream(modules.split(" ")).filter(m -> !m.isBlank()).collect(Collectors.toSet());

        KvmDetection.Verdict verdict = KvmDetection.decide(mode, exists, readWrite, loaded);

        assertThat(verdict.usable()).isEqualTo(usable);
        assertThat(verdict.reason()).contains(reason);
    }

    @Test
    void probesAFileSystemLaidOutLikeSysfs(@TempDir Path tmp) throws Exception {
        Path devKvm = Files.createFile(tmp.resolve("kvm"));
        Path sysModule = Files.createDirectories(tmp.resolve("module"));
        Files.createDirectories(sysModule.resolve("kvm"));
        Files.createDirectories(sysModule.resolve("kvm_pvm"));
        Files.createDirectories(sysModule.resolve("ext4"));

        assertThat(KvmDetection.probe(KvmMode.AUTO, devKvm, sysModule).usable()).isFalse();

        Files.createDirectories(sysModule.resolve("kvm_amd"));
        assertThat(KvmDetection.probe(KvmMode.AUTO, devKvm, sysModule).usable()).isTrue();
        assertThat(KvmDetection.probe(KvmMode.AUTO, tmp.resolve("absent"), sysModule).usable()).isFalse();
    }

    @Test
    void thisMachineHasNoUsableKvm() {
        // ENVIRONMENT.md: /dev/kvm exists here but belongs to kvm_pvm; guests must use software emulation.
        assumeFalse(Files.isDirectory(Path.of("/sys/module/kvm_intel")) || Files.isDirectory(Path.of("/sys/module/kvm_amd")),
                "a stock KVM module is loaded on this machine");
        assertThat(KvmDetection.probe(KvmMode.AUTO).usable()).isFalse();
    }
}

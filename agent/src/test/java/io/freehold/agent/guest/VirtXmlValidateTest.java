package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks rendered domains against libvirt's own RELAX NG schema, which catches misspelt elements, misplaced ones and
 * values of the wrong shape that a string comparison with a golden file cannot. Skipped where the tool is not
 * installed ({@code libvirt-clients}, plus {@code libxml2-utils} for the xmllint it runs).
 */
class VirtXmlValidateTest {

    // Per test rather than per class: surefire reports each skipped test with this message, but not a skipped class.
    @BeforeEach
    void toolsInstalled() {
        assumeTrue(onPath("virt-xml-validate") && onPath("xmllint"),
                "virt-xml-validate or xmllint is not installed (apt-get install libvirt-clients libxml2-utils); "
                        + "domain XML is not checked against libvirt's schema");
    }

    @ParameterizedTest(name = "guest/{0} is a valid libvirt domain")
    @ValueSource(strings = {"kvm.xml", "qemu.xml", "overlay.xml", "kernel.xml"})
    void goldenFilesAreValidDomains(String file, @TempDir Path tmp) throws Exception {
        Path copy = Files.writeString(tmp.resolve(file), DomainXmlTest.golden(file));

        assertThat(validate(copy)).isEqualTo("0");
    }

    @Test
    void aDomainWithHostileValuesIsStillValid(@TempDir Path tmp) throws Exception {
        GuestSpec spec = GuestSpecs.golden(DomainType.KVM).name("</freehold:name><x a=\"'&").tenantId("t-<&>")
                .consoleLog(Path.of("/var/lib/freehold/agent/guests/a b&c/console.log")).build();
        Path file = Files.writeString(tmp.resolve("hostile.xml"), DomainXml.render(spec));

        assertThat(validate(file)).isEqualTo("0");
    }

    /** The exit code, or the tool's output when it is not 0, so a failure shows libvirt's complaint. */
    private static String validate(Path file) throws Exception {
        Process process = new ProcessBuilder("virt-xml-validate", file.toString(), "domain").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("virt-xml-validate finished").isTrue();
        return process.exitValue() == 0 ? "0" : "exit " + process.exitValue() + ": " + output;
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}

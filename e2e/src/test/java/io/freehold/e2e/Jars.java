package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged jars under test, which failsafe names after {@code package} (see {@code e2e/pom.xml}). */
final class Jars {

    private Jars() {
    }

    static Path controlPlane() {
        return jar("freehold.control-plane.jar", "../control-plane/target/freehold-control-plane.jar");
    }

    static Path agent() {
        return jar("freehold.agent.jar", "../agent/target/freehold-agent.jar");
    }

    /**
     * {@code java -jar <jar> <arguments>} with the JDK running the tests, as operators run the jars, but with the JIT's
     * first tier only: the processes a test starts live for seconds, and on 2-core machines the optimising
     * compiler doubles the CPU a control plane's start costs (17 s instead of 8 s, measured), while the code runs the same.
     */
    static List<String> javaCommand(Path jar, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(arguments);
        return command;
    }

    private static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        assertThat(jar).as("%s (built by 'mvn verify' before this module)", jar.getFileName()).isRegularFile();
        return jar;
    }
}

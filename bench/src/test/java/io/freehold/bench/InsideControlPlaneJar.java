package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches a benchmark exactly as scripts/bench-placement.sh and scripts/bench-usage.sh do: inside the packaged control
 * plane jar through Spring Boot's PropertiesLauncher, the benchmark classes on loader.path.
 */
final class InsideControlPlaneJar {

    private InsideControlPlaneJar() {
    }

    /** Runs the benchmark to its end, checks it exited 0, and returns its {@code RESULT} line's values. */
    static Map<String, String> launch(String main, String... options) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("freehold.jar", "../control-plane/target/freehold-control-plane.jar"));
        Path output = Files.createTempFile("bench", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dloader.path=" + Path.of("target/classes").toAbsolutePath(), "-Dloader.main=" + main, "-cp", jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            int exit = process.waitFor();
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(printed);
            assertThat(exit).as("exit status of %s; it printed:%n%s", main, printed).isZero();
            String line = printed.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElseThrow(
                    () -> new AssertionError(main + " printed no RESULT line:\n" + printed));
            Map<String, String> values = new HashMap<>();
            for (String pair : line.substring("RESULT ".length()).split(" ")) {
                values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            return values;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}

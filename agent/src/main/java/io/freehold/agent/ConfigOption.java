package io.freehold.agent;

import java.nio.file.Files;
import java.nio.file.Path;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.config.AgentConfigReader;

/** Where the commands find their config: {@code --config} when given, else the packaged default path if present. */
final class ConfigOption {

    static final Path DEFAULT_FILE = Path.of("/etc/freehold/agent.yaml");

    private ConfigOption() {
    }

    static AgentConfig load(Path file) {
        if (file != null) {
            return AgentConfigReader.read(file);
        }
        return Files.isRegularFile(DEFAULT_FILE) ? AgentConfigReader.read(DEFAULT_FILE) : AgentConfig.defaults();
    }
}

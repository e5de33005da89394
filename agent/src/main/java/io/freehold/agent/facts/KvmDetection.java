package io.freehold.agent.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.freehold.agent.config.KvmMode;

/**
 * Whether guests may use hardware virtualisation on this host, decided honestly rather than assumed.
 *
 * <p>{@code /dev/kvm} existing is not enough: it is also created by paravirtual modules such as {@code kvm_pvm},
 * under which stock guest kernels hang at boot, and opening it or asking its API version succeeds just the same.
 * So KVM counts as usable only when the operator allows it ({@link KvmMode#AUTO}), {@code /dev/kvm} is readable and
 * writable, and one of the stock hardware modules, {@code kvm_intel} or {@code kvm_amd}, is loaded. Otherwise guests
 * run under software emulation ({@code type='qemu'}), slower but correct.
 */
public final class KvmDetection {

    /** The decision and the reason a person reads in the log. */
    public record Verdict(boolean usable, String reason) {
    }

    private static final Set<String> STOCK_MODULES = Set.of("kvm_intel", "kvm_amd");

    private KvmDetection() {
    }

    /**
     * @param kvmModules names under {@code /sys/module} that start with {@code kvm}
     */
    public static Verdict decide(KvmMode mode, boolean devKvmExists, boolean devKvmReadWrite, Set<String> kvmModules) {
        if (mode == KvmMode.OFF) {
            return new Verdict(false, "kvm is off in the config");
        }
        if (!devKvmExists) {
            return new Verdict(false, "/dev/kvm does not exist");
        }
        if (!devKvmReadWrite) {
            return new Verdict(false, "/dev/kvm is not readable and writable by the agent");
        }
        Set<String> stock = kvmModules.stream().filter(STOCK_MODULES::contains).collect(Collectors.toCollection(TreeSet::new));
        if (stock.isEmpty()) {
            Set<String> others = kvmModules.stream().filter(m -> !m.equals("kvm")).collect(Collectors.toCollection(TreeSet::new));
            return new Verdict(false, "/dev/kvm exists but neither kvm_intel nor kvm_amd is loaded"
                    + (others.isEmpty() ? "" : " (it comes from " + String.join(", ", others) + ", which stock guests do not run under)"));
        }
        return new Verdict(true, "/dev/kvm is usable through " + String.join(", ", stock));
    }

    /** Looks at this machine's {@code /dev/kvm} and {@code /sys/module}. */
    public static Verdict probe(KvmMode mode) {
        return probe(mode, Path.of("/dev/kvm"), Path.of("/sys/module"));
    }

    static Verdict probe(KvmMode mode, Path devKvm, Path sysModule) {
        boolean exists = Files.exists(devKvm);
        boolean readWrite = exists && Files.isReadable(devKvm) && Files.isWritable(devKvm);
        Set<String> modules = new TreeSet<>();
        if (Files.isDirectory(sysModule)) {
            try (Stream<Path> entries = Files.list(sysModule)) {
                entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("kvm")).forEach(modules::add);
            } catch (IOException e) {
                return new Verdict(false, "cannot list " + sysModule + ": " + e.getMessage());
            }
        }
        return decide(mode, exists, readWrite, modules);
    }
}

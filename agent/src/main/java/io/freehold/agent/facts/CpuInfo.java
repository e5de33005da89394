package io.freehold.agent.facts;

import java.util.HashSet;
import java.util.Set;

/**
 * The CPU as {@code /proc/cpuinfo} describes it.
 *
 * @param model   the first processor's model name, or empty when the kernel reports none (some ARM boards)
 * @param cores   distinct (physical id, core id) pairs: physical cores across all sockets; equal to {@code threads}
 *                when the kernel gives no topology (as on many ARM and some virtual machines)
 * @param threads the number of {@code processor} entries: logical CPUs the scheduler sees
 */
public record CpuInfo(String model, int cores, int threads) {

    /** Parses the text of {@code /proc/cpuinfo}: blank-line separated blocks of {@code key : value} lines. */
    public static CpuInfo parse(String text) {
        String model = "";
        String fallbackModel = "";
        int threads = 0;
        Set<String> cores = new HashSet<>();
        for (String block : text.split("\\n\\s*\\n")) {
            String physicalId = null;
            String coreId = null;
            boolean processor = false;
            for (String line : block.split("\\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "processor" -> processor = true;
                    case "model name" -> model = model.isEmpty() ? value : model;
                    case "Model", "cpu model", "Hardware" -> fallbackModel = fallbackModel.isEmpty() ? value : fallbackModel;
                    case "physical id" -> physicalId = value;
                    case "core id" -> coreId = value;
                    default -> {
                    }
                }
            }
            if (processor) {
                threads++;
                if (physicalId != null && coreId != null) {
                    cores.add(physicalId + "/" + coreId);
                }
            }
        }
        return new CpuInfo(model.isEmpty() ? fallbackModel : model, cores.isEmpty() ? threads : cores.size(), threads);
    }
}

package io.freehold.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of Prometheus text exposition: enough to read counters, gauges and histograms by name and labels. */
final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /**
     * A cumulative histogram: counts of observations at or below each bound, in seconds.
     *
     * @param buckets upper bound → cumulative count, ascending, ending with +Inf
     */
    record Histogram(TreeMap<Double, Double> buckets, double count, double sum) {

        /** What was observed between {@code earlier} and this scrape. */
        Histogram since(Histogram earlier) {
            TreeMap<Double, Double> delta = new TreeMap<>();
            buckets.forEach((bound, cumulative) -> delta.put(bound, cumulative - earlier.buckets.getOrDefault(bound, 0.0)));
            return new Histogram(delta, count - earlier.count, sum - earlier.sum);
        }

        /**
         * The q-quantile as Prometheus's {@code histogram_quantile} estimates it: linear within the bucket that holds
         * it; the highest finite bound when it lies in the +Inf bucket; NaN when nothing was observed.
         */
        double quantile(double q) {
            if (count <= 0) {
                return Double.NaN;
            }
            double rank = q * count;
            double lowerBound = 0;
            double lowerCount = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= rank) {
                    if (bucket.getKey().isInfinite()) {
                        return lowerBound;
                    }
                    double inBucket = bucket.getValue() - lowerCount;
                    return inBucket <= 0 ? bucket.getKey()
                            : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
                }
                lowerBound = bucket.getKey();
                lowerCount = bucket.getValue();
            }
            return lowerBound;
        }

        /** The share of observations at or below {@code bound}, which must be one of the bucket bounds. */
        double shareAtOrBelow(double bound) {
            Double cumulative = buckets.get(bound);
            if (cumulative == null) {
                throw new IllegalArgumentException("no bucket bound " + bound + " in " + buckets.keySet());
            }
            return count <= 0 ? Double.NaN : cumulative / count;
        }

        double mean() {
            return count <= 0 ? Double.NaN : sum / count;
        }
    }

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, parseValue(sample.group(3))));
        }
        return new PrometheusScrape(samples);
    }

    /** The sum over every series of {@code name} whose labels include {@code labels}; 0 when there is none. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** The histogram {@code name} (without the _bucket suffix) of the series with exactly these labels besides {@code le}. */
    Histogram histogram(String name, Map<String, String> labels) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name.equals(name + "_bucket")) {
                Map<String, String> rest = new LinkedHashMap<>(sample.labels);
                String le = rest.remove("le");
                if (le != null && rest.equals(labels)) {
                    buckets.put(parseValue(le), sample.value);
                }
            }
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("the control plane exposes no histogram " + name + labels);
        }
        return new Histogram(buckets, exact(name + "_count", labels), exact(name + "_sum", labels));
    }

    private double exact(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(labels)).mapToDouble(Sample::value)
                .findFirst().orElseThrow(() -> new IllegalStateException("the control plane exposes no " + name + labels));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}

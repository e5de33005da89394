package io.freehold.controlplane.inventory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.web.ApiProblem;

/**
 * Host labels, the labels a placement asks its host to carry, and instance labels: a small map of short
 * keys to short values, spelled as Kubernetes spells its labels (a key may carry a {@code prefix/}), so all
 * read alike.
 */
public final class Labels {

    static final int MAX = 64;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

    private Labels() {
    }

    /** @return the labels, sorted by key; empty for none. @throws ApiProblem 422 naming the first bad label */
    public static Map<String, String> checked(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAX) {
            throw ApiProblem.invalid("labels", "must have at most " + MAX + " labels");
        }
        Map<String, String> sorted = new TreeMap<>(labels);
        sorted.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw ApiProblem.invalid("labels." + key, "keys are 1 to 63 letters, digits and . _ / - starting and ending alphanumeric");
            }
            if (value == null || !VALUE.matcher(value).matches()) {
                throw ApiProblem.invalid("labels." + key, "values are up to 63 letters, digits and . _ - starting and ending alphanumeric");
            }
        });
        return sorted;
    }

    /** Parses repeated {@code label=key=value} filters; what is listed must carry all of them. @throws ApiProblem 400 */
    public static Map<String, String> filter(List<String> parameters) {
        Map<String, String> wanted = new TreeMap<>();
        if (parameters == null) {
            return wanted;
        }
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? null : parameter.substring(equals + 1);
            if (value == null || !KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
                throw ApiProblem.malformed("label", "must be key=value with a valid label key and value, not '" + parameter + "'");
            }
            String earlier = wanted.put(key, value);
            if (earlier != null && !earlier.equals(value)) {
                throw ApiProblem.malformed("label", "names key '" + key + "' twice with different values");
            }
        }
        return wanted;
    }
}

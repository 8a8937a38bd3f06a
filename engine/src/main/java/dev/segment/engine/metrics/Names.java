package dev.segment.engine.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks metric and label names against the Prometheus data model, with messages naming the bad value. */
final class Names {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private Names() {
    }

    static String metric(String name) {
        if (name == null || !METRIC.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*, got " + name);
        }
        return name;
    }

    /** label pairs "k1", "v1", "k2", "v2"... into an ordered map. */
    static Map<String, String> labels(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs, got " + pairs.length + " strings");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String k = pairs[i];
            if (k == null || !LABEL.matcher(k).matches() || k.startsWith("__") || k.equals("le")) {
                throw new IllegalArgumentException("label name must match [a-zA-Z_][a-zA-Z0-9_]* (not le or __*), got "
                        + k);
            }
            if (pairs[i + 1] == null) {
                throw new IllegalArgumentException("label " + k + " has a null value");
            }
            m.put(k, pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}

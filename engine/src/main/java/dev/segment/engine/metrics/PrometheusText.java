package dev.segment.engine.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a registry in the Prometheus text exposition format, version 0.0.4: per metric family one HELP and one TYPE
 * line, then its samples; histograms as cumulative {@code _bucket{le=...}}, {@code _sum} and {@code _count}.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String format(MetricsRegistry registry) {
        Map<String, List<Metric>> families = new LinkedHashMap<>();
        for (Metric m : registry.metrics()) {
            families.computeIfAbsent(m.name(), k -> new java.util.ArrayList<>()).add(m);
        }
        StringBuilder out = new StringBuilder(4096);
        for (List<Metric> family : families.values()) {
            Metric first = family.get(0);
            out.append("# HELP ").append(first.name()).append(' ').append(escapeHelp(first.help())).append('\n');
            out.append("# TYPE ").append(first.name()).append(' ').append(first.type()).append('\n');
            for (Metric m : family) {
                if (m instanceof Counter c) {
                    sample(out, m.name(), m.labels(), null, c.get());
                } else if (m instanceof Gauge g) {
                    sample(out, m.name(), m.labels(), null, g.get());
                } else if (m instanceof Histogram h) {
                    double[] bounds = h.bounds();
                    long[] cumulative = h.cumulativeCounts();
                    for (int i = 0; i < cumulative.length; i++) {
                        String le = i < bounds.length ? number(bounds[i]) : "+Inf";
                        sample(out, m.name() + "_bucket", m.labels(), le, cumulative[i]);
                    }
                    sample(out, m.name() + "_sum", m.labels(), null, h.sum());
                    sample(out, m.name() + "_count", m.labels(), null, cumulative[cumulative.length - 1]);
                }
            }
        }
        return out.toString();
    }

    private static void sample(StringBuilder out, String name, Map<String, String> labels, String le, double v) {
        out.append(name);
        if (!labels.isEmpty() || le != null) {
            out.append('{');
            boolean firstLabel = true;
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (!firstLabel) {
                    out.append(',');
                }
                out.append(e.getKey()).append("=\"").append(escapeValue(e.getValue())).append('"');
                firstLabel = false;
            }
            if (le != null) {
                out.append(firstLabel ? "" : ",").append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(v)).append('\n');
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeValue(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

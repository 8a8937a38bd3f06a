package dev.segment.engine.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: fetches a metrics endpoint and parses the text exposition format strictly (every line is a comment
 * of the two known kinds or a well-formed sample; TYPE precedes a family's samples), keyed by series.
 */
public final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? "
                    + "(-?[0-9.eE+-]+|NaN|[+-]Inf)");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

    public final Map<String, Double> samples = new LinkedHashMap<>();
    public final Map<String, String> types = new LinkedHashMap<>();
    public final String contentType;

    private PrometheusScrape(String body, String contentType) {
        this.contentType = contentType;
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                if (meta.group(1).equals("TYPE")) {
                    if (types.put(meta.group(2), meta.group(3)) != null) {
                        throw new IllegalStateException("TYPE given twice for " + meta.group(2));
                    }
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a valid exposition line: \"" + line + "\"");
            }
            String family = m.group(1).replaceAll("_(bucket|sum|count)$", "");
            if (!types.containsKey(m.group(1)) && !types.containsKey(family)) {
                throw new IllegalStateException("sample before its TYPE line: " + line);
            }
            String key = m.group(1) + (m.group(3) == null ? "" : "{" + m.group(3) + "}");
            String v = m.group(4);
            samples.put(
                    key,
                    v.equals("+Inf")
                            ? Double.POSITIVE_INFINITY
                            : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v));
        }
    }

    public static PrometheusScrape parse(String body) {
        return new PrometheusScrape(body, null);
    }

    public static PrometheusScrape fetch(String url) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return new PrometheusScrape(
                r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    /** The value of a series, e.g. {@code value("segment_stage_seconds_count", "stage=\"infer\"")}. */
    public double value(String name, String labels) {
        String key = labels == null || labels.isEmpty() ? name : name + "{" + labels + "}";
        Double v = samples.get(key);
        if (v == null) {
            throw new IllegalStateException("no series " + key + " in " + samples.keySet());
        }
        return v;
    }

    public double value(String name) {
        return value(name, null);
    }
}

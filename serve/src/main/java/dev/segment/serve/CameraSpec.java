package dev.segment.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segment.codecs.Redact;
import dev.segment.codecs.VocPalette;
import dev.segment.engine.app.OutputSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One camera of {@code segment serve}: the same JSON object in the service's file and in a {@code POST /api/cameras}
 * body. {@link #parse} is the one place a camera definition is checked; every error names the field and the value.
 *
 * @param name           letters, digits, {@code -} and {@code _} (it is part of MQTT topics and URLs)
 * @param source         what {@code segment stream} reads: rtsp://, rtmp://, http(s)://, srt://, udp://, lavfi:,
 *                       /dev/videoN or a file
 * @param fps            frames a second analysed (the camera may send more; the ones that fall due are segmented)
 * @param zones          named polygons, in order
 * @param rules          event rules, in order
 * @param outputs        overlay outputs as {@code segment stream --out}: rtsp:// or rtmp:// push, a .mp4/.mkv file,
 *                       or a directory with {@code segmentSeconds}
 * @param segmentSeconds the length of each recording file of a directory output, or null
 * @param settings       fields of the segment configuration for this camera only (the same nesting as the file
 *                       format), over the service's {@code settings}
 * @param definition     the object as given (credentials included): what {@code --persist} writes back
 */
public record CameraSpec(
        String name,
        String source,
        double fps,
        Map<String, Zone> zones,
        List<Rule> rules,
        List<String> outputs,
        Double segmentSeconds,
        ObjectNode settings,
        ObjectNode definition) {

    /** Frigate's detect rate: enough for a person walking through a door, a fifth of a 25 fps camera's cost. */
    public static final double DEFAULT_FPS = 5;

    public static final double DEFAULT_HOLD_SECONDS = 2;
    public static final double DEFAULT_UPDATE_SECONDS = 10;
    static final double MAX_FPS = 60;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELDS =
            Set.of("name", "source", "fps", "zones", "rules", "outputs", "segmentSeconds", "settings");
    private static final Set<String> RULE_FIELDS =
            Set.of("name", "zone", "classes", "minShare", "forSeconds", "holdSeconds", "updateSeconds");
    private static final Set<String> SCHEMES =
            Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt", "udp", "tcp");

    public CameraSpec {
        zones = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zones));
        rules = List.copyOf(rules);
        outputs = List.copyOf(outputs);
    }

    /** The rule named {@code name}, or null. */
    public Rule rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The definition as the API shows it: credentials in the source and the outputs replaced by {@code ***}, never
     * returned.
     */
    public ObjectNode redacted() {
        ObjectNode copy = definition.deepCopy();
        copy.put("source", Redact.redact(source));
        if (copy.has("outputs")) {
            ArrayNode outs = copy.putArray("outputs");
            outputs.forEach(o -> outs.add(Redact.redact(o)));
        }
        return copy;
    }

    /** Checks one camera object; {@link ApiException#field()} is relative to it ({@code zones.entry[1]}). */
    public static CameraSpec parse(JsonNode node) throws ApiException {
        if (node == null || !node.isObject()) {
            throw ApiException.bad("camera", text(node), "must be a JSON object with at least name and source");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.bad(f, text(node.get(f)), "unknown field; a camera has " + sorted(FIELDS));
            }
        }
        String name = string(node, "name", true);
        if (!NAME.matcher(name).matches()) {
            throw ApiException.bad(
                    "name", name, "must be 1-64 letters, digits, '-' or '_' (it is part of MQTT" + " topics and URLs)");
        }
        String source = string(node, "source", true);
        checkSource(source);
        double fps = number(node, "fps", DEFAULT_FPS);
        if (!(fps > 0 && fps <= MAX_FPS)) {
            throw ApiException.bad("fps", text(node.get("fps")), "must be > 0 and <= " + (int) MAX_FPS);
        }
        Map<String, Zone> zones = zones(node.get("zones"));
        List<Rule> rules = rules(node.get("rules"), zones);
        List<String> outputs = new ArrayList<>();
        JsonNode outs = node.get("outputs");
        if (outs != null && !outs.isNull()) {
            if (!outs.isArray()) {
                throw ApiException.bad("outputs", text(outs), "must be an array of outputs");
            }
            for (int i = 0; i < outs.size(); i++) {
                if (!outs.get(i).isTextual() || outs.get(i).asText().isBlank()) {
                    throw ApiException.bad("outputs[" + i + "]", text(outs.get(i)), "must be a non-empty string");
                }
                outputs.add(outs.get(i).asText());
            }
        }
        Double segmentSeconds = null;
        if (node.hasNonNull("segmentSeconds")) {
            segmentSeconds = number(node, "segmentSeconds", 0);
            if (!(segmentSeconds > 0)) {
                throw ApiException.bad("segmentSeconds", text(node.get("segmentSeconds")), "must be > 0");
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            String out = outputs.get(i);
            if (OutputSettings.isPush(out) || OutputSettings.isVideoFile(out)) {
                continue;
            }
            if (out.contains("://")) {
                throw ApiException.bad(
                        "outputs[" + i + "]", Redact.redact(out), "a stream output is rtsp:// or" + " rtmp://");
            }
            if (segmentSeconds == null) {
                throw ApiException.bad(
                        "outputs[" + i + "]",
                        out,
                        "a file is .mp4 or .mkv; a directory needs" + " segmentSeconds (a new file every N seconds)");
            }
        }
        JsonNode settings = node.get("settings");
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            throw ApiException.bad("settings", text(settings), "must be an object of configuration fields");
        }
        ObjectNode s = settings == null || settings.isNull()
                ? JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) settings).deepCopy();
        return new CameraSpec(
                name, source, fps, zones, rules, outputs, segmentSeconds, s, ((ObjectNode) node).deepCopy());
    }

    private static void checkSource(String source) throws ApiException {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("lavfi:") || lower.startsWith("/dev/video")) {
            return;
        }
        if (lower.contains("://")) {
            try {
                URI uri = new URI(source);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!SCHEMES.contains(scheme)) {
                    throw ApiException.bad(
                            "source",
                            Redact.redact(source),
                            "unsupported scheme '" + scheme
                                    + "'; a camera is " + sorted(SCHEMES).replace(", ", "://, ")
                                    + "://, lavfi:, /dev/videoN"
                                    + " or a file");
                }
                if (uri.getHost() == null || uri.getHost().isBlank()) {
                    throw ApiException.bad("source", Redact.redact(source), "the URL has no host");
                }
                return;
            } catch (URISyntaxException e) {
                throw ApiException.bad("source", Redact.redact(source), "not a valid URL: " + e.getReason());
            }
        }
        if (!Files.isRegularFile(Path.of(source))) {
            throw ApiException.bad(
                    "source", source, "no such file (a camera URL needs a scheme, e.g. rtsp://host/path)");
        }
    }

    private static Map<String, Zone> zones(JsonNode node) throws ApiException {
        Map<String, Zone> zones = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return zones;
        }
        if (!node.isObject()) {
            throw ApiException.bad("zones", text(node), "must be an object: zone name -> [[x,y], ...]");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "zones." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                throw ApiException.bad(field, e.getKey(), "a zone name is 1-64 letters, digits, '-' or '_'");
            }
            JsonNode pts = e.getValue();
            if (!pts.isArray() || pts.size() < 3) {
                throw ApiException.bad(field, text(pts), "a zone is a polygon of at least 3 points [[x,y], ...]");
            }
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < pts.size(); i++) {
                JsonNode p = pts.get(i);
                if (!p.isArray()
                        || p.size() != 2
                        || !p.get(0).isNumber()
                        || !p.get(1).isNumber()) {
                    throw ApiException.bad(field + "[" + i + "]", text(p), "a point is [x, y], two numbers");
                }
                double x = p.get(0).asDouble();
                double y = p.get(1).asDouble();
                if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                    throw ApiException.bad(field + "[" + i + "]", text(p), "x and y are relative to the frame: 0..1");
                }
                points.add(new double[] {x, y});
            }
            if (Math.abs(area(points)) < 1e-6) {
                throw ApiException.bad(field, text(pts), "the polygon has no area");
            }
            zones.put(e.getKey(), new Zone(e.getKey(), points));
        }
        return zones;
    }

    private static double area(List<double[]> p) {
        double a = 0;
        for (int i = 0, j = p.size() - 1; i < p.size(); j = i++) {
            a += p.get(j)[0] * p.get(i)[1] - p.get(i)[0] * p.get(j)[1];
        }
        return a / 2;
    }

    private static List<Rule> rules(JsonNode node, Map<String, Zone> zones) throws ApiException {
        List<Rule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            throw ApiException.bad("rules", text(node), "must be an array of rules");
        }
        Set<String> names = new LinkedHashSet<>();
        List<String> known = VocPalette.classNames();
        for (int i = 0; i < node.size(); i++) {
            String at = "rules[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isObject()) {
                throw ApiException.bad(at, text(r), "a rule is an object");
            }
            try {
                for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!RULE_FIELDS.contains(f)) {
                        throw ApiException.bad(f, text(r.get(f)), "unknown field; a rule has " + sorted(RULE_FIELDS));
                    }
                }
                String name = string(r, "name", true);
                if (!NAME.matcher(name).matches()) {
                    throw ApiException.bad("name", name, "a rule name is 1-64 letters, digits, '-' or '_'");
                }
                if (!names.add(name)) {
                    throw ApiException.bad("name", name, "another rule of this camera has that name");
                }
                String zone = string(r, "zone", false);
                if (zone != null && !zones.containsKey(zone)) {
                    throw ApiException.bad(
                            "zone",
                            zone,
                            zones.isEmpty()
                                    ? "the camera has no zones (leave zone out for the whole frame)"
                                    : "no such zone; the camera's zones are " + String.join(", ", zones.keySet()));
                }
                JsonNode cls = r.get("classes");
                if (cls == null || !cls.isArray() || cls.isEmpty()) {
                    throw ApiException.bad("classes", text(cls), "must be a non-empty array of class names");
                }
                List<String> classes = new ArrayList<>();
                List<Integer> ids = new ArrayList<>();
                for (int k = 0; k < cls.size(); k++) {
                    String c = cls.get(k).asText();
                    int id = known.indexOf(c);
                    if (!cls.get(k).isTextual() || id < 0) {
                        throw ApiException.bad(
                                "classes[" + k + "]",
                                text(cls.get(k)),
                                "unknown class; the classes" + " are " + String.join(", ", known));
                    }
                    classes.add(c);
                    ids.add(id);
                }
                double minShare = number(r, "minShare", Double.NaN);
                if (!(minShare > 0 && minShare <= 1)) {
                    throw ApiException.bad(
                            "minShare",
                            text(r.get("minShare")),
                            "required, a share of the zone: > 0" + " and <= 1 (0.02 is 2%)");
                }
                double forSeconds = nonNegative(r, "forSeconds", 0);
                double hold = nonNegative(r, "holdSeconds", DEFAULT_HOLD_SECONDS);
                double update = number(r, "updateSeconds", DEFAULT_UPDATE_SECONDS);
                if (!(update > 0)) {
                    throw ApiException.bad("updateSeconds", text(r.get("updateSeconds")), "must be > 0");
                }
                rules.add(new Rule(name, zone, classes, ids, minShare, forSeconds, hold, update));
            } catch (ApiException e) {
                throw e.within(at);
            }
        }
        return rules;
    }

    private static double nonNegative(JsonNode node, String field, double fallback) throws ApiException {
        double v = number(node, field, fallback);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw ApiException.bad(field, text(node.get(field)), "must be a number of seconds >= 0");
        }
        return v;
    }

    private static String string(JsonNode node, String field, boolean required) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.bad(field, null, "required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.bad(field, text(v), "must be a non-empty string");
        }
        return v.asText().trim();
    }

    private static double number(JsonNode node, String field, double fallback) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw ApiException.bad(field, text(v), "must be a number");
        }
        return v.asDouble();
    }

    /** A value as the user wrote it, for errors; credentials in URLs redacted. */
    static String text(JsonNode v) {
        if (v == null) {
            return null;
        }
        String t = v.isTextual() ? v.asText() : v.toString();
        t = Redact.redact(t);
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String sorted(Set<String> fields) {
        return String.join(", ", new java.util.TreeSet<>(fields));
    }
}

package dev.segment.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.segment.codecs.live.SourceKind;
import dev.segment.codecs.live.SourceSpec;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The service's file ({@code segment serve --config serve.yaml}, YAML or JSON): {@code settings} (any field of the
 * segment configuration, for every camera), {@code api} ({@code bind}, {@code port}, {@code token}), {@code events}
 * ({@code mqtt}, {@code webhook}, {@code file}, {@code snapshots}, {@code queue}) and {@code cameras} (each a
 * {@link CameraSpec}). The one place the file is read and written back ({@link #write}, for {@code --persist}).
 */
public final class ServeFile {
    private static final Set<String> TOP = Set.of("settings", "api", "events", "cameras");
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode root;

    private ServeFile(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** An empty service: no settings, no cameras. */
    public static ServeFile empty() {
        return new ServeFile(null, JsonNodeFactory.instance.objectNode());
    }

    /** Reads {@code file}; errors name the file and the field. */
    public static ServeFile read(Path file) throws ConfigException {
        JsonNode root;
        try {
            root = mapper(file).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", null, "cannot read it: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    file.toString(), "", null, "must be an object with settings, api, events and" + " cameras");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP.contains(f)) {
                throw new ConfigException(file.toString(), f, null, "unknown field; the file has " + TOP);
            }
        }
        return new ServeFile(file, (ObjectNode) root);
    }

    public Path file() {
        return file;
    }

    /** A string of section {@code api} or {@code events}, or null. */
    public String text(String section, String field) {
        JsonNode v = root.path(section).get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The service-wide configuration: the defaults, {@code settings}, then the command line's fields. */
    public SegmentConfig settings(ConfigOverrides commandLine) throws ConfigException {
        ConfigOverrides o = new ConfigOverrides();
        flatten(root.get("settings"), "", origin(), o);
        SegmentConfig config = o.applyTo(SegmentConfig.defaults());
        return commandLine.applyTo(config);
    }

    /** The cameras of the file, checked; an error names the camera's index and field. */
    public List<CameraSpec> cameras() throws ConfigException {
        List<CameraSpec> cameras = new ArrayList<>();
        JsonNode list = root.get("cameras");
        if (list == null || list.isNull()) {
            return cameras;
        }
        if (!list.isArray()) {
            throw new ConfigException(origin(), "cameras", null, "must be a list of cameras");
        }
        for (int i = 0; i < list.size(); i++) {
            try {
                cameras.add(CameraSpec.parse(list.get(i)));
            } catch (ApiException e) {
                throw new ConfigException(origin(), "cameras[" + i + "]." + e.field(), e.value(), e.problem());
            }
        }
        return cameras;
    }

    /**
     * A camera's configuration: {@code base} with the camera's {@code settings} over it. Settings of the model and its
     * threads are the service's (one model serves every camera) and refused here.
     */
    static SegmentConfig forCamera(SegmentConfig base, CameraSpec camera) throws ApiException {
        for (String shared : List.of("model", "inference")) {
            if (camera.settings().has(shared)) {
                throw ApiException.bad(
                        "settings." + shared,
                        CameraSpec.text(camera.settings().get(shared)),
                        "is the service's: one model serves every camera (set it in the file's settings)");
            }
        }
        ConfigOverrides o = new ConfigOverrides();
        flatten(camera.settings(), "", "camera " + camera.name(), o);
        SourceKind kind = SourceSpec.parse(camera.source(), SourceSettings.liveOptions(base))
                .kind();
        if (kind == SourceKind.FILE) {
            o.set("source.realtime", "true", "a file as a camera"); // a file stands in for a camera at its rate
        }
        try {
            return o.applyTo(base);
        } catch (ConfigException e) {
            throw ApiException.bad("settings." + e.fieldPath(), e.value(), e.problem());
        }
    }

    private static void flatten(JsonNode node, String prefix, String origin, ConfigOverrides into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), origin, into);
            }
        } else {
            into.set(prefix, node.isTextual() ? node.asText() : node.toString(), origin);
        }
    }

    /**
     * Writes the file back with {@code cameras} in place of its cameras (their definitions as given, credentials
     * included: the file is the user's), atomically: a temporary file beside it, then a rename.
     */
    public void write(List<CameraSpec> cameras) throws IOException {
        if (file == null) {
            throw new IllegalStateException("no file to write to");
        }
        ObjectNode copy = root.deepCopy();
        ArrayNode list = copy.putArray("cameras");
        cameras.forEach(c -> list.add(c.definition()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // the file may hold the API token and camera passwords: the copy gets the original's permissions from the start
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Files.getPosixFilePermissions(file)));
        Files.writeString(tmp, mapper(file).writerWithDefaultPrettyPrinter().writeValueAsString(copy));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        root.set("cameras", list);
    }

    private String origin() {
        return file == null ? "serve settings" : file.toString();
    }

    private static ObjectMapper mapper(Path file) {
        return file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }
}

package dev.segment.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segment.config.internal.RecordBinder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a configuration file (JSON or YAML, by extension) over {@link SegmentConfig#defaults()}: a file that sets
 * only {@code crf.iterations} keeps every other default. Unknown fields, wrong types (no coercion: {@code "3"} is
 * not a number, {@code 3.5} is not an integer), nulls in required fields and out-of-range values are errors that
 * name the file, the field path, the value and what is allowed.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** The configuration in {@code file} over the defaults. */
    public static SegmentConfig load(Path file) throws ConfigException {
        return load(file, new ConfigOverrides());
    }

    /**
     * The defaults, then {@code file} if not null, then {@code overrides} (field path to text value; errors name
     * the field's conventional flag, see {@link ConfigFields#flagName(String)}), validated together.
     */
    public static SegmentConfig load(Path fileOrNull, Map<String, String> overrides) throws ConfigException {
        return load(fileOrNull, new ConfigOverrides().setAll(overrides));
    }

    /** The defaults, then {@code file} if not null, then {@code overrides}, validated together. */
    public static SegmentConfig load(Path fileOrNull, ConfigOverrides overrides) throws ConfigException {
        return load(SegmentConfig.defaults(), fileOrNull, overrides);
    }

    /**
     * {@code base} (the defaults, or defaults a command or a user configuration changed), then {@code file} if not
     * null, then {@code overrides}, validated together: what the file and the overrides do not name keeps its value
     * in {@code base}.
     */
    public static SegmentConfig load(SegmentConfig base, Path fileOrNull, ConfigOverrides overrides)
            throws ConfigException {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(overrides, "overrides");
        if (fileOrNull == null) {
            return overrides.applyTo(base);
        }
        ConfigFormat format = ConfigFormat.of(fileOrNull);
        String origin = fileOrNull.toString();
        return bind(parseTree(read(fileOrNull), format, origin), origin, overrides, base);
    }

    /** The configuration in {@code text} over the defaults; {@code origin} names the text in errors. */
    public static SegmentConfig parse(String text, ConfigFormat format, String origin) throws ConfigException {
        return bind(parseTree(text, format, origin), origin, new ConfigOverrides(), SegmentConfig.defaults());
    }

    private static SegmentConfig bind(JsonNode root, String origin, ConfigOverrides overrides, SegmentConfig base)
            throws ConfigException {
        Map<String, String> overrideOrigins = Map.of();
        if (root.isObject()) {
            overrideOrigins = overrides.mergeInto((ObjectNode) root);
        }
        return new RecordBinder(origin, overrideOrigins).bind(SegmentConfig.class, root, base);
    }

    /** SnakeYAML's messages quote the source with carets over several lines; keep only what they say. */
    private static String oneLine(String message) {
        StringBuilder kept = new StringBuilder();
        boolean quote = false;
        for (String line : message.split("\\R")) {
            String text = line.strip();
            boolean skip = quote || text.isEmpty() || text.startsWith("^") || text.startsWith("in 'reader'");
            quote = text.startsWith("in 'reader'");
            if (!skip) {
                kept.append(kept.length() == 0 ? "" : "; ").append(text);
            }
        }
        return kept.length() == 0 ? message : kept.toString();
    }

    private static String read(Path file) throws ConfigException {
        String origin = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(origin, null, null, "cannot read: is a directory, not a file");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(origin, null, null, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(origin, null, null, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new ConfigException(origin, null, null, "cannot read: " + e, e);
        }
    }

    private static JsonNode parseTree(String text, ConfigFormat format, String origin) throws ConfigException {
        try {
            JsonNode root = format.mapper().readTree(text);
            return root == null || root.isMissingNode() ? JsonNodeFactory.instance.objectNode() : root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(
                    origin, null, null, "malformed " + format + where + ": " + oneLine(e.getOriginalMessage()), e);
        }
    }
}

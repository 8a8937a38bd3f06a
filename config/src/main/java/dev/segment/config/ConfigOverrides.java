package dev.segment.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segment.config.internal.RecordBinder;
import dev.segment.config.internal.ScalarType;
import dev.segment.config.internal.Schema;
import dev.segment.config.internal.TypeMismatch;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Field values given as text, typically one per command-line flag, applied together: checks spanning fields
 * (such as {@code source.reconnect.maxDelayMs >= initialDelayMs}) see all of them at once, so setting both
 * fields of a pair never fails on the intermediate state. Setting a path twice keeps the last value.
 *
 * <p>Text forms: integers ({@code 3}), numbers ({@code 0.5}), {@code true}/{@code false}, enum names
 * ({@code drop-oldest}), strings as given; the empty string sets an optional field ({@code model.path},
 * {@code output.masksDir}, {@code output.statsFile}) to null. Not thread-safe; build, then apply.
 */
public final class ConfigOverrides {
    private record Entry(String value, String origin) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * @param fieldPath dotted path, e.g. {@code crf.iterations}
     * @param value the text form of the value
     * @param origin where it came from, used in errors, e.g. {@code --crf-iterations}
     */
    public ConfigOverrides set(String fieldPath, String value, String origin) {
        Objects.requireNonNull(fieldPath, "fieldPath");
        Objects.requireNonNull(value, () -> "value of " + fieldPath);
        Objects.requireNonNull(origin, () -> "origin of " + fieldPath);
        entries.remove(fieldPath);
        entries.put(fieldPath, new Entry(value, origin));
        return this;
    }

    /** Sets a field with its conventional flag ({@link ConfigFields#flagName(String)}) as the origin. */
    public ConfigOverrides set(String fieldPath, String value) {
        return set(fieldPath, value, ConfigFields.flagName(fieldPath));
    }

    /** {@link #set(String, String)} for every entry of {@code fieldPathToValue}, in its iteration order. */
    public ConfigOverrides setAll(Map<String, String> fieldPathToValue) {
        fieldPathToValue.forEach(this::set);
        return this;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * {@code base} with every override applied, validated as a whole.
     *
     * @throws ConfigException naming the override's origin, the field path, the value and what is allowed
     */
    public SegmentConfig applyTo(SegmentConfig base) throws ConfigException {
        Objects.requireNonNull(base, "base");
        if (entries.isEmpty()) {
            return base;
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        Map<String, String> origins = mergeInto(tree);
        String first = entries.values().iterator().next().origin();
        return new RecordBinder(first, origins).bind(SegmentConfig.class, tree, base);
    }

    /**
     * Puts every override into {@code tree} (a file's content), replacing what the file says for that field.
     *
     * @return the origin of every overridden path
     */
    Map<String, String> mergeInto(ObjectNode tree) throws ConfigException {
        Map<String, String> origins = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String path = e.getKey();
            Entry entry = e.getValue();
            JsonNode value = parse(path, entry);
            String[] names = path.split("\\.", -1);
            ObjectNode parent = tree;
            for (int i = 0; i < names.length - 1 && parent != null; i++) {
                JsonNode child = parent.get(names[i]);
                if (child == null) {
                    child = parent.putObject(names[i]);
                }
                // A file value of the wrong kind stays in place so that its own error is reported.
                parent = child.isObject() ? (ObjectNode) child : null;
            }
            if (parent != null) {
                parent.set(names[names.length - 1], value);
                origins.put(path, entry.origin());
            }
        }
        return origins;
    }

    private static JsonNode parse(String path, Entry entry) throws ConfigException {
        RecordComponent leaf = resolve(path, entry);
        if (entry.value().isEmpty() && Schema.nullable(leaf)) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return ScalarType.of(leaf.getType()).parse(entry.value());
        } catch (TypeMismatch mismatch) {
            throw new ConfigException(entry.origin(), path, entry.value(), mismatch.getMessage());
        }
    }

    private static RecordComponent resolve(String path, Entry entry) throws ConfigException {
        Class<?> type = SegmentConfig.class;
        String[] names = path.split("\\.", -1);
        String prefix = "";
        RecordComponent component = null;
        for (String name : names) {
            if (type == null) {
                throw new ConfigException(
                        entry.origin(), path, entry.value(), "unknown field: " + prefix + " is a value, not a section");
            }
            component = Schema.component(type, name);
            if (component == null) {
                throw new ConfigException(
                        entry.origin(), path, entry.value(), RecordBinder.unknown(name, Schema.names(type), prefix));
            }
            prefix = prefix.isEmpty() ? name : prefix + "." + name;
            type = component.getType().isRecord() ? component.getType() : null;
        }
        if (type != null) {
            throw new ConfigException(
                    entry.origin(),
                    path,
                    entry.value(),
                    "is a section, not a value; set one of its fields: "
                            + String.join(
                                    ", ",
                                    Schema.leafPaths(type).stream()
                                            .map(f -> path + "." + f)
                                            .toList()));
        }
        return component;
    }
}

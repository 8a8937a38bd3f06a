package dev.segment.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segment.config.ConfigException;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a JSON tree over a base configuration: fields the tree names replace the base's, every other field keeps
 * the base value. Types are strict (no string-to-number or float-to-int coercion); range checks are the records'
 * constructors. Errors carry the origin of the offending value: an override's flag for paths in
 * {@code overrideOrigins}, else {@code fileOrigin}.
 */
public final class RecordBinder {
    private final String fileOrigin;
    private final Map<String, String> overrideOrigins;
    private final Set<String> present = new HashSet<>();

    public RecordBinder(String fileOrigin, Map<String, String> overrideOrigins) {
        this.fileOrigin = fileOrigin;
        this.overrideOrigins = Map.copyOf(overrideOrigins);
    }

    /** {@code base} with the fields set in {@code root}; a null or missing root returns {@code base}. */
    public <R> R bind(Class<R> type, JsonNode root, R base) throws ConfigException {
        if (root == null || root.isMissingNode()) {
            return base;
        }
        return type.cast(bindRecord(type, root, base, ""));
    }

    private Object bindRecord(Class<?> type, JsonNode node, Object base, String path) throws ConfigException {
        List<String> names = Schema.names(type);
        if (!node.isObject()) {
            String problem =
                    "must be an object with fields " + String.join(", ", names) + " (got " + ValueText.kind(node) + ")";
            throw path.isEmpty()
                    ? new ConfigException(fileOrigin, null, null, "the top level " + problem)
                    : new ConfigException(origin(path), path, ValueText.of(node), problem);
        }
        rejectUnknown(node, names, path);
        List<RecordComponent> components = Schema.components(type);
        Object[] values = new Object[components.size()];
        for (int i = 0; i < values.length; i++) {
            RecordComponent component = components.get(i);
            String childPath = path.isEmpty() ? component.getName() : path + "." + component.getName();
            JsonNode child = node.get(component.getName());
            Object baseValue = Schema.get(base, component);
            if (child == null) {
                values[i] = baseValue;
            } else if (component.getType().isRecord()) {
                values[i] = bindRecord(component.getType(), child, baseValue, childPath);
            } else {
                values[i] = scalar(component, child, childPath);
            }
        }
        try {
            return Schema.construct(type, values);
        } catch (InvalidFieldException e) {
            throw toConfigException(e, path);
        }
    }

    private void rejectUnknown(JsonNode node, List<String> names, String path) throws ConfigException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                String childPath = path.isEmpty() ? name : path + "." + name;
                throw new ConfigException(
                        origin(childPath), childPath, ValueText.of(node.get(name)), unknown(name, names, path));
            }
        }
    }

    /** "unknown field (did you mean 'iterations'?); valid fields in crf: ...". */
    public static String unknown(String name, List<String> names, String path) {
        String closest = Names.closest(name, names);
        return "unknown field" + (closest == null ? "" : " (did you mean '" + closest + "'?)")
                + (path.isEmpty() ? "; valid top-level fields: " : "; valid fields in " + path + ": ")
                + String.join(", ", names);
    }

    private Object scalar(RecordComponent component, JsonNode child, String path) throws ConfigException {
        present.add(path);
        ScalarType type = ScalarType.of(component.getType());
        if (child.isNull()) {
            if (Schema.nullable(component)) {
                return null;
            }
            throw new ConfigException(origin(path), path, "null", "must be " + type.describe() + ", not null");
        }
        try {
            return type.fromNode(child);
        } catch (TypeMismatch e) {
            throw new ConfigException(origin(path), path, ValueText.of(child), e.getMessage());
        }
    }

    private ConfigException toConfigException(InvalidFieldException e, String path) {
        String prefix = path.isEmpty() ? "" : path + ".";
        // Report a conflict on the field the user set, preferring an override (it came last) over the file.
        InvalidFieldException report = e;
        if (e.alternative() != null && weight(prefix + e.alternative().field()) > weight(prefix + e.field())) {
            report = e.alternative();
        }
        String origin = fileOrigin;
        for (String field : report.fields()) {
            if (present.contains(prefix + field)) {
                origin = origin(prefix + field);
                break;
            }
        }
        return new ConfigException(
                origin, prefix + report.field(), ValueText.of(report.value()), report.rule(f -> prefix + f), e);
    }

    private int weight(String path) {
        return overrideOrigins.containsKey(path) ? 2 : present.contains(path) ? 1 : 0;
    }

    private String origin(String path) {
        return overrideOrigins.getOrDefault(path, fileOrigin);
    }
}

package dev.segment.config;

import dev.segment.config.internal.Names;
import dev.segment.config.internal.Schema;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;

/** The field paths of {@link SegmentConfig}, for mapping command-line flags and printing help. */
public final class ConfigFields {
    private static final List<String> PATHS = Schema.leafPaths(SegmentConfig.class);

    private ConfigFields() {}

    /** Every settable field path in declaration order, e.g. {@code crf.bilateral.srgb}. */
    public static List<String> paths() {
        return PATHS;
    }

    /**
     * The name in {@code valid} closest to {@code name} if it is plausibly a typo of it, else null: the one "did you
     * mean" rule for configuration fields, command-line flags and command names.
     */
    public static String closest(String name, Collection<String> valid) {
        return Names.closest(name, valid);
    }

    /** The conventional flag for a field: {@code crf.warmIterations} is {@code --crf-warm-iterations}. */
    public static String flagName(String fieldPath) {
        return Names.flag(fieldPath);
    }

    /**
     * The text form of a field's value in {@code config}, as {@link SegmentConfig#withOverride} accepts it (an
     * unset optional field is the empty string), e.g. for "default: 5" in help.
     *
     * @throws IllegalArgumentException if {@code fieldPath} is not one of {@link #paths()}
     */
    public static String valueOf(SegmentConfig config, String fieldPath) {
        if (!PATHS.contains(fieldPath)) {
            throw new IllegalArgumentException("unknown configuration field " + fieldPath + "; known: " + PATHS);
        }
        Object value = config;
        for (String name : fieldPath.split("\\.")) {
            RecordComponent component = Schema.component(value.getClass(), name);
            value = Schema.get(value, component);
        }
        if (value == null) {
            return "";
        }
        return value instanceof Enum<?> e ? Names.of(e) : value.toString();
    }
}

package dev.segment.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.segment.config.internal.TreeWriter;

/** Writes a configuration in the form {@link ConfigLoader} reads back to an equal configuration. */
public final class ConfigWriter {
    private ConfigWriter() {}

    public static String toText(SegmentConfig config, ConfigFormat format) {
        try {
            return format.mapper().writeValueAsString(TreeWriter.toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as " + format, e);
        }
    }

    public static String toYaml(SegmentConfig config) {
        return toText(config, ConfigFormat.YAML);
    }

    public static String toJson(SegmentConfig config) {
        return toText(config, ConfigFormat.JSON);
    }
}

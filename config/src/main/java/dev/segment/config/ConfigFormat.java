package dev.segment.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.config.internal.Mappers;
import java.nio.file.Path;
import java.util.Locale;

/** The text formats of a configuration file, chosen by file extension. */
public enum ConfigFormat {
    /** {@code .json} */
    JSON,
    /** {@code .yaml} or {@code .yml} */
    YAML;

    /** The accepted extensions, for error messages. */
    public static final String EXTENSIONS = ".json, .yaml, .yml";

    /**
     * The format of {@code file} by its extension.
     *
     * @throws ConfigException naming the file and the accepted extensions
     */
    public static ConfigFormat of(Path file) throws ConfigException {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return YAML;
        }
        throw new ConfigException(
                file.toString(),
                null,
                null,
                "unknown configuration file type; use one of the extensions " + EXTENSIONS);
    }

    ObjectMapper mapper() {
        return this == JSON ? Mappers.json() : Mappers.yaml();
    }
}

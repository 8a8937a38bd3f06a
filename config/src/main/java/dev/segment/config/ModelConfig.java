package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The DeepLab model.
 *
 * @param path frozen graph file; null means the engine's default location
 */
public record ModelConfig(@Nullable String path) {
    public ModelConfig {
        Check.nullOrNotBlank("path", path);
    }
}

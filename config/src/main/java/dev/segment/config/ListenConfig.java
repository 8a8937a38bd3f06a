package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * Network listeners of the process.
 *
 * @param bindAddress address the listeners bind to
 * @param metricsPort port of the metrics endpoint; 0 means off
 * @param httpPreviewPort port of the HTTP preview stream; 0 means off
 */
public record ListenConfig(String bindAddress, int metricsPort, int httpPreviewPort) {
    public ListenConfig {
        Check.notBlank("bindAddress", bindAddress);
        Check.between("metricsPort", metricsPort, 0, 65535);
        Check.between("httpPreviewPort", httpPreviewPort, 0, 65535);
        Check.differ("httpPreviewPort", httpPreviewPort, "metricsPort", metricsPort, 0);
    }
}

package dev.segment.config;

import dev.segment.config.internal.Names;

/**
 * What the source does when the pipeline is full. Written in files as its {@link #configName()}.
 */
public enum Backpressure {
    /** {@link #BLOCK} for files, {@link #DROP_OLDEST} for live sources. */
    AUTO,
    /** Wait for room: no frame is ever dropped (files). */
    BLOCK,
    /**
     * Never wait, and start inference on the newest frame (cameras): a frame waiting for inference is replaced by each
     * newer capture until inference takes it, and a frame decoded while the later stages are full is dropped; both
     * are counted as dropped. Capture-to-output latency stays about one pass through the stages.
     */
    DROP_OLDEST;

    /** The name used in configuration files and on the command line, e.g. {@code drop-oldest}. */
    public String configName() {
        return Names.of(this);
    }
}

package dev.segment.config;

import dev.segment.config.internal.Names;

/** What the producer does when the ring is full: {@code auto} blocks for files and drops the oldest frame for live sources. Written in files as its {@link #configName()}. */
public enum Backpressure {
    AUTO,
    BLOCK,
    DROP_OLDEST;

    /** The name used in configuration files and on the command line, e.g. {@code drop-oldest}. */
    public String configName() {
        return Names.of(this);
    }
}

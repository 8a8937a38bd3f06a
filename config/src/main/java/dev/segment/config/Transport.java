package dev.segment.config;

import dev.segment.config.internal.Names;

/** RTSP transport for network sources. Written in files as its {@link #configName()}. */
public enum Transport {
    TCP,
    UDP;

    /** The name used in configuration files and on the command line, e.g. {@code udp}. */
    public String configName() {
        return Names.of(this);
    }
}

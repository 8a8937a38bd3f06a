package dev.segment.config;

import dev.segment.config.internal.Names;

/** Which DenseCRF implementation runs: {@code auto} picks CUDA when available, else the CPU. Written in files as its {@link #configName()}. */
public enum CrfBackend {
    AUTO,
    CPU,
    CUDA;

    /** The name used in configuration files and on the command line, e.g. {@code cuda}. */
    public String configName() {
        return Names.of(this);
    }
}

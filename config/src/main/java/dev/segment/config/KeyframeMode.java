package dev.segment.config;

import dev.segment.config.internal.Names;

/**
 * When the model runs: {@code auto} on keyframes chosen per frame (scene cuts, restarts, motion the warp cannot
 * explain, uncertain carried scores, a maximum interval), its scores carried along the motion to the frames between;
 * {@code all} on every frame.
 */
public enum KeyframeMode {
    AUTO,
    ALL;

    /** The name used in configuration files and on the command line, e.g. {@code auto}. */
    public String configName() {
        return Names.of(this);
    }
}

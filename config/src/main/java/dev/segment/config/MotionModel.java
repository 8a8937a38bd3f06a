package dev.segment.config;

import dev.segment.config.internal.Names;

/**
 * How scores are carried from a keyframe to a later frame: {@code dense} along a dense optical flow field (objects
 * moving against the background follow their own motion), {@code global} by the flow field's median translation only
 * (one camera pan for the whole frame).
 */
public enum MotionModel {
    DENSE,
    GLOBAL;

    /** The name used in configuration files and on the command line, e.g. {@code dense}. */
    public String configName() {
        return Names.of(this);
    }
}

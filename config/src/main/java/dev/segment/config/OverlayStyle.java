package dev.segment.config;

import dev.segment.config.internal.Names;

/**
 * How the class colours are drawn over the picture: {@code outline} fills every segment so that it shows on any
 * background and draws its contour with a halo; {@code blend} is the plain alpha blend of the VOC colours.
 */
public enum OverlayStyle {
    OUTLINE,
    BLEND;

    /** The name used in configuration files and on the command line, e.g. {@code outline}. */
    public String configName() {
        return Names.of(this);
    }
}

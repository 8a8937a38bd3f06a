package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The coloured label overlay.
 *
 * @param alpha opacity of the label colours over the frame, 0..1 (the outline style fills more where that alone
 *     would not show)
 * @param legend draw the class legend
 * @param style outline (segments that show on any background, with contours) or blend (the plain alpha blend)
 * @param labels write the class name on every large segment
 */
public record OverlayConfig(double alpha, boolean legend, OverlayStyle style, boolean labels) {
    public OverlayConfig {
        Check.between("alpha", alpha, 0, 1);
        Check.notNull("style", style);
    }
}

package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The coloured label overlay.
 *
 * @param alpha opacity of the label colours over the frame, 0..1
 * @param legend draw the class legend
 */
public record OverlayConfig(double alpha, boolean legend) {
  public OverlayConfig {
    Check.between("alpha", alpha, 0, 1);
  }
}

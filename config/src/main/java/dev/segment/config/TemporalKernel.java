package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The CRF warm start's temporal term: each pixel is tied to itself in the previous frame with a weight that falls off
 * with the pixel's colour change, so that labels hold where the image stands still and follow the new evidence where
 * it moved (see crf-native/README.md).
 *
 * @param weight weight of the previous frame's labels, 0..100 in units of log-probability (0 disables the term)
 * @param srgb change of the pixel's 3x3 mean colour, in 0..255 RGB units, at which the term has fallen to exp(-1/2),
 *     &gt; 0, &lt;= 1000
 */
public record TemporalKernel(double weight, double srgb) {
    public TemporalKernel {
        Check.between("weight", weight, 0, 100);
        Check.positive("srgb", srgb);
        Check.between("srgb", srgb, 0, 1000);
    }
}

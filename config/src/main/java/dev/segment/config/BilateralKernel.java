package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The CRF's appearance kernel.
 *
 * @param sxy spatial standard deviation in pixels of the frame (scaled with the CRF grid when it runs smaller), &gt; 0
 * @param srgb colour standard deviation in 0..255 RGB units, &gt; 0
 * @param weight kernel weight, &gt;= 0 (0 disables it)
 */
public record BilateralKernel(double sxy, double srgb, double weight) {
    public BilateralKernel {
        Check.positive("sxy", sxy);
        Check.positive("srgb", srgb);
        Check.atLeast("weight", weight, 0);
    }
}

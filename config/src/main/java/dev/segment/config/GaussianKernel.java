package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The CRF's smoothness kernel.
 *
 * @param sxy spatial standard deviation in pixels of the frame (scaled with the CRF grid when it runs smaller), &gt; 0
 * @param weight kernel weight, &gt;= 0 (0 disables it)
 */
public record GaussianKernel(double sxy, double weight) {
    public GaussianKernel {
        Check.positive("sxy", sxy);
        Check.atLeast("weight", weight, 0);
    }
}

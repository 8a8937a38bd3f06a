package dev.segment.cli;

import dev.segment.crf.CrfParams;
import java.util.Arrays;

/** The {@code --gaussian SXY,W} and {@code --bilateral SXY,SRGB,W} flags of the CRF commands, over a base setting. */
final class CrfKernelFlags {
    private CrfKernelFlags() {}

    /** {@code base} with the kernels the flags give (null: keep the base's). */
    static CrfParams apply(CrfParams base, double[] gaussian, double[] bilateral) {
        double gs = base.gaussianSxy();
        double gw = base.gaussianWeight();
        double bs = base.bilateralSxy();
        double br = base.bilateralSrgb();
        double bw = base.bilateralWeight();
        if (gaussian != null) {
            if (gaussian.length != 2) {
                throw new IllegalArgumentException(
                        "--gaussian takes SXY,W (2 numbers), got " + Arrays.toString(gaussian));
            }
            gs = gaussian[0];
            gw = gaussian[1];
        }
        if (bilateral != null) {
            if (bilateral.length != 3) {
                throw new IllegalArgumentException(
                        "--bilateral takes SXY,SRGB,W (3 numbers), got " + Arrays.toString(bilateral));
            }
            bs = bilateral[0];
            br = bilateral[1];
            bw = bilateral[2];
        }
        return new CrfParams(gs, gw, bs, br, bw);
    }

    /** A kernel setting as typed on the command line: 3 rather than 3.0. */
    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package dev.segment.engine.keyframes;

import dev.segment.engine.ScoreGrid;

/**
 * Carries a keyframe's score grid to a later frame along the motion measured between them: each cell of the output
 * grid reads the keyframe's scores (bilinearly) where its content was in the keyframe.
 *
 * <p>The output grid has twice the keyframe grid's density (stride 4 for DeepLab's 8), so that the carried scores
 * follow motion finer than one model cell; downstream it is an ordinary {@link ScoreGrid} (the same geometry rules),
 * so labels at the frame's size and the CRF's logits come from it exactly as from the model's own grid.
 *
 * <p>Cells whose content has no source in the keyframe (it entered the picture) take the keyframe's scores at their
 * own position; cells the warp does not explain (large local luma error: occlusion, a new object, motion the flow
 * missed) keep the warped scores. Both have their logits scaled by {@link #UNTRUSTED_SCALE}, which leaves their argmax
 * as it is but flattens their distribution, so that the CRF, when on, lets the frame's own pixels decide more there.
 * Not thread-safe; allocates nothing per frame once sizes are stable.
 */
final class ScoreWarper {
    /** Logit scale for cells without a trustworthy source: softmax(0.5 z) is flatter than softmax(z), same argmax. */
    static final float UNTRUSTED_SCALE = 0.5f;

    private boolean[] cellTrusted = new boolean[0];

    /**
     * Writes {@code keyframe}'s scores carried to the current frame into {@code out}.
     *
     * @param flow        the motion from the current frame back to the keyframe ({@link MotionEstimator#estimate})
     * @param frameWidth  the frame's size (the keyframe's too)
     * @param frameHeight its height
     */
    public void warp(ScoreGrid keyframe, Flow flow, int frameWidth, int frameHeight, ScoreGrid out) {
        int s = keyframe.stride();
        warp(keyframe, flow, frameWidth, frameHeight, s % 2 == 0 ? s / 2 : s, out);
    }

    /**
     * Like {@link #warp(ScoreGrid, Flow, int, int, ScoreGrid)} onto a grid of the given stride ({@code
     * ceil((inputWidth - 1) / stride) + 1} columns: the model's own grid's when it is the model's stride).
     */
    public void warp(ScoreGrid keyframe, Flow flow, int frameWidth, int frameHeight, int outStride, ScoreGrid out) {
        int lumaWidth = flow.width();
        int lumaHeight = flow.height();
        int c = keyframe.classes();
        int iw = keyframe.inputWidth();
        int ih = keyframe.inputHeight();
        int s = keyframe.stride();
        int s2 = outStride;
        int kgw = keyframe.gridWidth();
        int kgh = keyframe.gridHeight();
        // The grid cells the model-input image reaches (beyond them is DeepLab's padding, never sampled).
        float maxGx = Math.min((float) (iw - 1) / s, kgw - 1);
        float maxGy = Math.min((float) (ih - 1) / s, kgh - 1);
        int gw = (iw - 1 + s2 - 1) / s2 + 1;
        int gh = (ih - 1 + s2 - 1) / s2 + 1;
        float[] dst = out.reset(gw, gh, c, iw, ih, s2);
        if (cellTrusted.length < gw * gh) {
            cellTrusted = new boolean[gw * gh];
        }
        float[] src = keyframe.data();
        double frameToInputX = (double) iw / frameWidth;
        double frameToInputY = (double) ih / frameHeight;
        double frameToLumaX = (double) lumaWidth / frameWidth;
        double frameToLumaY = (double) lumaHeight / frameHeight;
        for (int oy = 0; oy < gh; oy++) {
            double yf = frameCoord(Math.min(oy * s2, ih - 1), frameToInputY);
            double yl = clamp((yf + 0.5) * frameToLumaY - 0.5, lumaHeight - 1);
            int py = (int) Math.round(yl);
            for (int ox = 0; ox < gw; ox++) {
                double xf = frameCoord(Math.min(ox * s2, iw - 1), frameToInputX);
                double xl = clamp((xf + 0.5) * frameToLumaX - 0.5, lumaWidth - 1);
                int px = (int) Math.round(xl);
                double sxl = flow.sourceX(px, py) + (xl - px);
                double syl = flow.sourceY(px, py) + (yl - py);
                boolean inside = sxl >= -0.5 && syl >= -0.5 && sxl <= lumaWidth - 0.5 && syl <= lumaHeight - 0.5;
                if (!inside) {
                    sxl = xl; // no source: the keyframe's scores at this cell's own position
                    syl = yl;
                }
                double sxf = (sxl + 0.5) / frameToLumaX - 0.5;
                double syf = (syl + 0.5) / frameToLumaY - 0.5;
                float gx = clampF((float) (((sxf + 0.5) * frameToInputX - 0.5) / s), maxGx);
                float gy = clampF((float) (((syf + 0.5) * frameToInputY - 0.5) / s), maxGy);
                boolean trusted = inside && flow.trusted(px, py);
                cellTrusted[oy * gw + ox] = trusted;
                float scale = trusted ? 1f : UNTRUSTED_SCALE;
                sample(src, kgw, c, gx, gy, scale, dst, (oy * gw + ox) * c);
            }
        }
    }

    /**
     * Fuses the model's fresh scores on a keyframe with the previous keyframe's scores carried to it (the last
     * {@link #warp} onto the model's own stride): where the carried scores have a trustworthy source, {@code model =
     * weight * model + (1 - weight) * carried}; elsewhere (a new object, uncovered content) the model's own stay. A
     * running average along the motion: the labels no longer jump at every keyframe, and what the model sees for
     * the first time is never averaged away.
     *
     * @param model   the model's grid on this frame, updated in place
     * @param carried the last warp's output, at the model's stride
     * @param weight  the model's share, 0..1
     */
    public void fuse(ScoreGrid model, ScoreGrid carried, float weight) {
        int c = model.classes();
        int gw = carried.gridWidth();
        int gh = Math.min(carried.gridHeight(), model.gridHeight());
        int mw = model.gridWidth();
        if (carried.stride() != model.stride() || carried.classes() != c) {
            throw new IllegalArgumentException("carried grid (stride " + carried.stride() + ", " + carried.classes()
                    + " classes) does not match the model's (stride " + model.stride() + ", " + c + " classes)");
        }
        float[] m = model.data();
        float[] k = carried.data();
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < Math.min(gw, mw); x++) {
                if (!cellTrusted[y * gw + x]) {
                    continue;
                }
                int a = (y * mw + x) * c;
                int b = (y * gw + x) * c;
                for (int i = 0; i < c; i++) {
                    m[a + i] = weight * m[a + i] + (1 - weight) * k[b + i];
                }
            }
        }
    }

    /** The frame coordinate of a model-input pixel (pixel-centre alignment, as the upsampler maps them). */
    private static double frameCoord(int inputPixel, double frameToInput) {
        return (inputPixel + 0.5) / frameToInput - 0.5;
    }

    private static void sample(float[] src, int gw, int c, float gx, float gy, float scale, float[] dst, int at) {
        int x0 = (int) gx;
        int y0 = (int) gy;
        float fx = gx - x0;
        float fy = gy - y0;
        int x1 = fx > 0 ? x0 + 1 : x0;
        int y1 = fy > 0 ? y0 + 1 : y0;
        float w00 = (1 - fx) * (1 - fy) * scale;
        float w01 = fx * (1 - fy) * scale;
        float w10 = (1 - fx) * fy * scale;
        float w11 = fx * fy * scale;
        int a = (y0 * gw + x0) * c;
        int b = (y0 * gw + x1) * c;
        int d = (y1 * gw + x0) * c;
        int e = (y1 * gw + x1) * c;
        for (int k = 0; k < c; k++) {
            dst[at + k] = w00 * src[a + k] + w01 * src[b + k] + w10 * src[d + k] + w11 * src[e + k];
        }
    }

    private static double clamp(double v, double max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private static float clampF(float v, float max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}

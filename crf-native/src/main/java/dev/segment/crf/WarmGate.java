package dev.segment.crf;

/**
 * How a frame warm-starts from the previous one. Let p = softmax(-U) of the new frame and p_prev that of the previous
 * frame run on the same {@link DenseCrf}.
 *
 * <p>Start: where the evidence changed (another label, or a total-variation distance between p and p_prev above
 * {@code distance}) the pixel restarts from p as in a cold start: a new object's pixels, and those of an object that
 * left. Elsewhere it starts from (1 - keep) p + keep Q_prev, which carries the previous frame's CRF result over. The
 * set of restarting pixels is dilated by {@code radius} pixels so that uncertain pixels next to a change restart too.
 *
 * <p>Temporal term: each pixel is also tied to itself in the previous frame by a Potts edge whose kernel is a Gaussian
 * on the pixel's colour change, exp(-|rgb - rgb_prev|^2 / (2 temporalSrgb^2)), of weight {@code temporalWeight}, where
 * rgb is the pixel's 3x3 mean colour (so that camera and codec noise on single pixels does not count as change). With
 * Q_prev held fixed its mean-field message adds temporalWeight * kernel * Q_prev(l) to -U(l) in every iteration of
 * the frame. Where the image did not change, the previous labels hold against the model's frame-to-frame noise; where
 * the pixel's colour changed (motion, an object arriving or leaving) the kernel vanishes and only the new evidence
 * counts. The term is also off where the evidence moved by more than {@code distance}, so a new prediction over an
 * unchanged image is not held back. 0 switches it off.
 *
 * <p>Camera motion: with {@code motionRange} above 0 the native side estimates the frame's global translation against
 * the previous frame (a pan or tilt of up to motionRange pixels in x and in y; a luma-pyramid search, see
 * crf-native/README.md) and everything above compares each pixel with the previous state of the place its content came
 * from instead of the same coordinates. Pixels whose content entered the frame restart. A still camera, or a shift the
 * search cannot tell from none, reads the same coordinates. 0 switches the estimate off.
 *
 * <p>Without a previous frame of the same shape every pixel restarts and there is no temporal term.
 *
 * @param distance total-variation distance in [0, 1] between p and p_prev above which a pixel restarts
 * @param keep weight in [0, 1] of the previous Q where the evidence stayed
 * @param radius dilation of the restarting pixels, 0..1000 pixels
 * @param temporalWeight weight of the temporal term in [0, 100] (0 = off), in units of log-probability
 * @param temporalSrgb colour change in (0, 1000] RGB units at which the temporal kernel has fallen to exp(-1/2)
 * @param motionRange largest camera shift between frames followed, 0..256 pixels in x and in y (0 = a still camera)
 */
public record WarmGate(
        double distance, double keep, int radius, double temporalWeight, double temporalSrgb, int motionRange) {
    /** The default (see crf-native/README.md for the measurements behind it). */
    public static final WarmGate DEFAULT = new WarmGate(0.3, 1.0, 4, 2.0, 10.0, 32);

    public WarmGate {
        if (!(distance >= 0 && distance <= 1)) {
            throw new IllegalArgumentException("distance must be in [0, 1], got " + distance);
        }
        if (!(keep >= 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep must be in [0, 1], got " + keep);
        }
        if (radius < 0 || radius > 1000) {
            throw new IllegalArgumentException("radius must be in 0..1000, got " + radius);
        }
        if (!(temporalWeight >= 0 && temporalWeight <= 100)) {
            throw new IllegalArgumentException("temporalWeight must be in [0, 100], got " + temporalWeight);
        }
        if (!(temporalSrgb > 0 && temporalSrgb <= 1000)) {
            throw new IllegalArgumentException("temporalSrgb must be in (0, 1000], got " + temporalSrgb);
        }
        if (motionRange < 0 || motionRange > 256) {
            throw new IllegalArgumentException("motionRange must be in 0..256, got " + motionRange);
        }
    }

    /** This gate with another temporal term (weight 0 switches it off). */
    public WarmGate withTemporal(double weight, double srgb) {
        return new WarmGate(distance, keep, radius, weight, srgb, motionRange);
    }

    /** This gate with another dilation radius. */
    public WarmGate withRadius(int pixels) {
        return new WarmGate(distance, keep, pixels, temporalWeight, temporalSrgb, motionRange);
    }

    /** This gate with another camera-motion range (0 = a still camera). */
    public WarmGate withMotionRange(int pixels) {
        return new WarmGate(distance, keep, radius, temporalWeight, temporalSrgb, pixels);
    }
}

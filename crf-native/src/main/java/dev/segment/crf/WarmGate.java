package dev.segment.crf;

/**
 * The per-pixel gate of a warm start from the previous frame's Q. Let p = softmax(-U) of the new frame. The previous
 * Q is kept only where the new evidence confidently agrees with it: the same label, max p &gt;= {@code confidence},
 * and a total-variation distance between p and Q_prev of at most {@code distance}. There the pixel starts from
 * (1 - keep) p + keep Q_prev, which carries the previous frame's smoothing over. Every other pixel starts from p, as
 * in a cold start: a new object's pixels, those of an object that left, and pixels where the new evidence is flat.
 * The set of restarting pixels is dilated by {@code radius} pixels, so uncertain pixels next to a change restart too.
 *
 * @param distance total-variation distance in [0, 1] above which the previous Q is dropped
 * @param keep weight in [0, 1] of the previous Q where it is kept
 * @param confidence max p in [0, 1] below which the new evidence is too flat to keep the previous Q
 * @param radius dilation of the restarting pixels, 0..1000 pixels
 */
public record WarmGate(double distance, double keep, double confidence, int radius) {
  /** The default (see crf-native/README.md for the measurements behind it). */
  public static final WarmGate DEFAULT = new WarmGate(0.5, 0.5, 0.5, 4);

  public WarmGate {
    if (!(distance >= 0 && distance <= 1)) {
      throw new IllegalArgumentException("distance must be in [0, 1], got " + distance);
    }
    if (!(keep >= 0 && keep <= 1)) {
      throw new IllegalArgumentException("keep must be in [0, 1], got " + keep);
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
    }
    if (radius < 0 || radius > 1000) {
      throw new IllegalArgumentException("radius must be in 0..1000, got " + radius);
    }
  }
}

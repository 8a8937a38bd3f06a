package dev.segment.crf;

/**
 * The per-pixel gate of a warm start from the previous frame's Q. Let p = softmax(-U) of the new frame and p_prev
 * that of the previous frame run on the same {@link DenseCrf}. Where the evidence changed (another label, or a
 * total-variation distance between p and p_prev above {@code distance}) the pixel restarts from p as in a cold start:
 * a new object's pixels, and those of an object that left. Elsewhere it starts from (1 - keep) p + keep Q_prev, which
 * carries the previous frame's CRF result over. The set of restarting pixels is dilated by {@code radius} pixels so
 * that uncertain pixels next to a change restart too. Without a previous frame of the same shape every pixel
 * restarts.
 *
 * @param distance total-variation distance in [0, 1] between p and p_prev above which a pixel restarts
 * @param keep weight in [0, 1] of the previous Q where the evidence stayed
 * @param radius dilation of the restarting pixels, 0..1000 pixels
 */
public record WarmGate(double distance, double keep, int radius) {
  /** The default (see crf-native/README.md for the measurements behind it). */
  public static final WarmGate DEFAULT = new WarmGate(0.3, 1.0, 4);

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
  }
}

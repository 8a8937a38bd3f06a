package dev.segment.crf;

/**
 * The per-pixel gate of a warm start from the previous frame's Q. Let p = softmax(-U) of the new frame. Where the
 * labels of p and Q_prev differ, or their total-variation distance exceeds {@code distance}, the pixel starts from p
 * (a new object starts as in a cold start; an object that left starts from the background's evidence). Elsewhere it
 * starts from (1 - keep) p + keep Q_prev, which carries the previous frame's smoothing over.
 *
 * @param distance total-variation distance in [0, 1] above which the previous Q is dropped
 * @param keep weight in [0, 1] of the previous Q where it is kept
 */
public record WarmGate(double distance, double keep) {
  /** The default: drop the previous Q beyond a distance of 0.5, otherwise keep it with weight 0.5. */
  public static final WarmGate DEFAULT = new WarmGate(0.5, 0.5);

  public WarmGate {
    if (!(distance >= 0 && distance <= 1)) {
      throw new IllegalArgumentException("distance must be in [0, 1], got " + distance);
    }
    if (!(keep >= 0 && keep <= 1)) {
      throw new IllegalArgumentException("keep must be in [0, 1], got " + keep);
    }
  }
}

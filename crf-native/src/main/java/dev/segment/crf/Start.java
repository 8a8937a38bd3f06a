package dev.segment.crf;

/** Where mean-field inference starts. */
public enum Start {
  /** Q0 = softmax(-U). */
  COLD,
  /** Q0 = the given Q, unchanged: k more iterations of an earlier run. */
  FROM_Q,
  /**
   * Q0 mixes the given Q (the previous frame's) with softmax(-U), gated per pixel by {@link WarmGate}: where the two
   * disagree, the new evidence is taken as is.
   */
  WARM_GATED
}

package dev.segment.crf;

/** Where mean-field inference starts. */
public enum Start {
    /** Q0 = softmax(-U). */
    COLD,
    /** Q0 = the given Q, unchanged: k more iterations of an earlier run. */
    FROM_Q,
    /**
     * Q0 from the given Q (the previous frame's) where the evidence did not change since the previous frame run on this
     * {@link DenseCrf}, softmax(-U) where it did; see {@link WarmGate}.
     */
    WARM_GATED
}

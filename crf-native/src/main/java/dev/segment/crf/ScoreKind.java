package dev.segment.crf;

/** What the score buffer given to {@link DenseCrf#infer} holds. */
public enum ScoreKind {
    /** The unary U = -log p per class (the reference's input). */
    UNARY,
    /** Probabilities p per class; the unary is -log(max(p, 1e-5)), as the reference derives it. */
    PROBABILITIES,
    /**
     * The model's logits l per class; the unary is -log(max(softmax(l), 1e-5)), the same as for their probabilities,
     * with the softmax done natively (vectorised, on the CRF's threads) instead of by the caller.
     */
    LOGITS
}

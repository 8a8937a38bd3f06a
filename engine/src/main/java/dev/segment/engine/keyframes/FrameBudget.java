package dev.segment.engine.keyframes;

/**
 * The model's budget on a file, in frames: a token bucket that fills by {@code share} a frame, so the model runs on at
 * most that share of the frames over any stretch longer than the bucket. Deterministic (frames, not clocks), so a file
 * gives the same output for the same input on any machine.
 *
 * <p>The bucket holds {@link #CAPACITY} model runs: after a quiet stretch, a burst of new content (a person walking in,
 * the camera turning) gets two keyframes in a row before the budget holds it to its rate. Keyframes that nothing can
 * be carried across (a start, a restart, a new size, a cut) run whatever the budget says, and are paid from it
 * (never below empty), so a clip full of cuts does not get extra keyframes on top of them.
 *
 * <p>Not thread-safe: used by the keyframe stage's thread.
 */
public final class FrameBudget {
    /** Model runs the bucket holds. */
    static final double CAPACITY = 2;

    private final double share;
    private double tokens = CAPACITY;

    /** @param share the most share of frames the model may run on, 0 &lt; share &lt;= 1 (1: no limit) */
    public FrameBudget(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        this.share = share;
    }

    /** Whether a keyframe the thresholds ask for may run on this frame; spends it when so. */
    public boolean grant() {
        if (share >= 1) {
            return true;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** A keyframe that runs whatever the budget says: paid from the bucket, never below empty. */
    public void force() {
        tokens = Math.max(0, tokens - 1);
    }

    /** One frame passed: the bucket fills by the share. */
    public void tick() {
        tokens = Math.min(CAPACITY, tokens + share);
    }
}

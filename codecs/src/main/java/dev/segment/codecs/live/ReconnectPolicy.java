package dev.segment.codecs.live;

import java.util.random.RandomGenerator;

/**
 * When to try again after a live source failed: exponential backoff from {@code initialDelayMs}, doubling up to
 * {@code maxDelayMs}, each delay scaled by a random factor in {@code [1 - jitter, 1 + jitter]} so that many cameras
 * behind one failed switch do not reconnect in lock step.
 *
 * @param maxAttempts    reconnection attempts in a row before giving up; -1 = never give up (the default for
 *                       cameras), 0 = do not reconnect (as the config's source.reconnect.maxAttempts)
 * @param initialDelayMs delay before the first retry, &gt;= 0
 * @param maxDelayMs     cap of the delay, &gt;= initialDelayMs
 * @param jitter         0 (none) to 1
 */
public record ReconnectPolicy(int maxAttempts, long initialDelayMs, long maxDelayMs, double jitter) {
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(-1, 500, 30_000, 0.2);
    /** Fails on the first error: for files and one-shot tests. */
    public static final ReconnectPolicy NEVER = new ReconnectPolicy(0, 0, 0, 0);

    public ReconnectPolicy {
        if (maxAttempts < -1) {
            throw new IllegalArgumentException(
                    "reconnect.maxAttempts must be -1 (unlimited) or >= 0, got " + maxAttempts);
        }
        if (initialDelayMs < 0) {
            throw new IllegalArgumentException("reconnect.initialDelayMs must be >= 0, got " + initialDelayMs);
        }
        if (maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException(
                    "reconnect.maxDelayMs must be >= initialDelayMs (" + initialDelayMs + "), got " + maxDelayMs);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("reconnect.jitter must be in [0, 1], got " + jitter);
        }
    }

    /** True when attempt number {@code attempt} (1-based, counting consecutive failures) may still be made. */
    public boolean allows(int attempt) {
        return maxAttempts < 0 || attempt <= maxAttempts;
    }

    /** Delay before retry number {@code attempt} (1-based), with jitter drawn from {@code random}. */
    public long delayMillis(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        double base = initialDelayMs * Math.pow(2, Math.min(attempt - 1, 30));
        double capped = Math.min(base, maxDelayMs);
        double factor = jitter == 0 ? 1 : 1 + jitter * (2 * random.nextDouble() - 1);
        return Math.max(0, Math.min(maxDelayMs, Math.round(capped * factor)));
    }
}

package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * Reconnecting to a live source after it fails, with exponential backoff.
 *
 * @param maxAttempts attempts before giving up; -1 means unlimited, 0 means never reconnect
 * @param initialDelayMs delay before the first attempt, &gt;= 1
 * @param maxDelayMs cap on the doubling delay, &gt;= initialDelayMs
 * @param jitter random fraction (0..1) added to or taken from each delay
 */
public record ReconnectConfig(int maxAttempts, int initialDelayMs, int maxDelayMs, double jitter) {
    public ReconnectConfig {
        Check.sentinelOrAtLeast("maxAttempts", maxAttempts, -1, "unlimited", 0);
        Check.atLeast("initialDelayMs", initialDelayMs, 1);
        Check.notBelow("maxDelayMs", maxDelayMs, "initialDelayMs", initialDelayMs);
        Check.between("jitter", jitter, 0, 1);
    }
}

package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * Reading frames.
 *
 * @param transport RTSP transport
 * @param openTimeoutMs how long opening the source may take, &gt;= 100
 * @param readTimeoutMs how long one read may block, &gt;= 100
 * @param realtime pace a file source at its frame rate, as if it were live
 * @param startFrame frames to skip at the start, &gt;= 0
 * @param maxFrames frames to process; -1 means all
 * @param durationSeconds stream/live: end the run this many seconds (wall clock) after it starts, connecting
 *     included; 0 means unlimited
 * @param reconnect what to do when a live source fails
 */
public record SourceConfig(
        Transport transport,
        int openTimeoutMs,
        int readTimeoutMs,
        boolean realtime,
        int startFrame,
        int maxFrames,
        double durationSeconds,
        ReconnectConfig reconnect) {
    public SourceConfig {
        Check.notNull("transport", transport);
        Check.atLeast("openTimeoutMs", openTimeoutMs, 100);
        Check.atLeast("readTimeoutMs", readTimeoutMs, 100);
        Check.atLeast("startFrame", startFrame, 0);
        Check.sentinelOrAtLeast("maxFrames", maxFrames, -1, "all", 1);
        Check.atLeast("durationSeconds", durationSeconds, 0);
        Check.notNull("reconnect", reconnect);
    }
}

package dev.segment.engine.app;

import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.ReconnectPolicy;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.pipeline.Pipelines;

/**
 * The {@code source.*} section of the configuration as the codecs take it: the one mapping that {@code segment
 * stream} and the Flink job's workers both use, so a setting honoured by one is honoured by the other.
 * ({@code source.maxFrames} is the pipeline's, set by {@link Pipelines#builder}; {@code source.durationSeconds} is a
 * wall-clock limit that the caller runs.)
 */
public final class SourceSettings {
    private SourceSettings() {}

    /** How to open a live input: RTSP transport, open and read timeouts, realtime pacing, reconnect policy. */
    public static LiveOptions liveOptions(SegmentConfig config) {
        var s = config.source();
        var r = s.reconnect();
        ReconnectPolicy policy = new ReconnectPolicy(
                r.maxAttempts(), r.initialDelayMs(), Math.max(r.initialDelayMs(), r.maxDelayMs()), r.jitter());
        return LiveOptions.DEFAULT
                .withTransport(s.transport())
                .withTimeouts(s.openTimeoutMs(), s.readTimeoutMs())
                .withRealtime(s.realtime())
                .withReconnect(policy);
    }

    /** How to open a video file: from {@code source.startFrame}, paced at its frame rate if {@code source.realtime}. */
    public static SourceOptions fileOptions(SegmentConfig config) {
        return SourceOptions.forFile()
                .withStartFrame(config.source().startFrame())
                .withRealtime(config.source().realtime());
    }
}

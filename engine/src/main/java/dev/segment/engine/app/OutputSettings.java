package dev.segment.engine.app;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.MaskPngSink;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.codecs.preview.SegmentedRecordingSink;
import dev.segment.codecs.preview.StreamPushSink;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.pipeline.Pipelines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code output.*} section of the configuration as the sinks take it: the one mapping that every command that
 * writes video, masks or statistics and the Flink job's workers use.
 */
public final class OutputSettings {
    private OutputSettings() {}

    /** How overlay videos are encoded: {@code output.preset} and {@code output.quality} (x264's rate factor). */
    public static VideoSinkOptions video(SegmentConfig config) {
        return VideoSinkOptions.defaults()
                .withPreset(config.output().preset())
                .withCrf(config.output().quality());
    }

    /**
     * A mask PNG per frame in {@code output.masksDir}, numbered from {@code source.startFrame} as the input's own
     * frames; null when no directory is configured.
     */
    public static MaskPngSink masks(SegmentConfig config) {
        String dir = config.output().masksDir();
        return dir == null
                ? null
                : new MaskPngSink(Path.of(dir), config.source().startFrame());
    }

    /**
     * A JSON line per frame in {@code output.statsFile}, frames numbered from {@code source.startFrame}; null when no
     * file is configured. The caller closes it.
     */
    public static StatsWriter stats(SegmentConfig config) throws IOException {
        String file = config.output().statsFile();
        return file == null
                ? null
                : new StatsWriter(
                        Path.of(file), Pipelines.classNames(), config.source().startFrame(), null);
    }

    /** Whether an overlay output is a push to a streaming server (rtsp://, rtsps://, rtmp://, rtmps://). */
    public static boolean isPush(String out) {
        String lower = out.toLowerCase(Locale.ROOT);
        return lower.startsWith("rtsp://")
                || lower.startsWith("rtsps://")
                || lower.startsWith("rtmp://")
                || lower.startsWith("rtmps://");
    }

    /** Whether an overlay output is one video file (.mp4 or .mkv). */
    public static boolean isVideoFile(String out) {
        String lower = out.toLowerCase(Locale.ROOT);
        return !lower.contains("://") && (lower.endsWith(".mp4") || lower.endsWith(".mkv"));
    }

    /**
     * The sink of one overlay output of a live run: a push, a video file, or (otherwise) a directory of files of
     * {@code segmentSeconds} each. The caller has checked the output.
     */
    public static FrameSink overlaySink(String out, Double segmentSeconds, SegmentConfig config) {
        VideoSinkOptions video = video(config).withAudio(false);
        if (isPush(out)) {
            return new StreamPushSink(out, 2_000_000, 5000);
        }
        if (isVideoFile(out)) {
            return new VideoFileSink(Path.of(out), video);
        }
        return new SegmentedRecordingSink(Path.of(out), "segment", "mp4", segmentSeconds, video);
    }
}

package dev.segment.engine.app;

import dev.segment.codecs.MaskPngSink;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.pipeline.Pipelines;
import java.io.IOException;
import java.nio.file.Path;

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
}

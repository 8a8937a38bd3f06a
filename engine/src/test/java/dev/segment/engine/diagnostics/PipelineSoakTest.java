package dev.segment.engine.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.LoopingSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI-sized soak: the real pipeline (DeepLab, overlay, x264 into fragmented MP4) on a small real clip played over and
 * over, so that every per-frame path and every source restart runs many times. Native memory that is not closed
 * explicitly (FFmpeg frames and contexts, TF tensors, direct buffers) would show as growth after the warm-up.
 */
@ModelTest
@SystemTest
@Timeout(value = 6, unit = TimeUnit.MINUTES) // ~15 s each on 2 cores; generous for machines shared with other jobs
class PipelineSoakTest {
    private static final int CLIP_FRAMES = 50;
    private static final int FRAMES = 400;
    private static final int WARMUP = 100;
    private static final int SAMPLE_EVERY = 20;

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void makeClip() throws IOException, InterruptedException {
        clip = dir.resolve("car-160x90.mp4");
        Path video = Shared.video("intel_car-detection.mp4");
        Ffmpeg.ffmpeg(
                clip,
                "-i",
                video.toString(),
                "-vf",
                "scale=160:90",
                "-frames:v",
                String.valueOf(CLIP_FRAMES),
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p");
    }

    @Test
    void shouldNotGrowNativeMemoryOverALoopingClipWithTheCrfOff() throws Exception {
        check(soak(SegmentConfig.defaults(), new ColdFrames()));
    }

    /**
     * The CRF stage adds native lattice and mean-field buffers (C++, not counted by JavaCPP: only the RSS bound sees
     * them) and the per-stream warm-start state, which must be reset, not reallocated, at each restart of the clip.
     */
    @Test
    void shouldNotGrowNativeMemoryOverALoopingClipWithTheCrfOn() throws Exception {
        ColdFrames cold = new ColdFrames();
        MemorySeries series = soak(SegmentConfig.defaults().withOverride("crf.enabled", "true", "test"), cold);
        check(series);
        for (long play = 0; play < FRAMES / CLIP_FRAMES; play++) {
            assertTrue(
                    cold.indices.contains(play * CLIP_FRAMES),
                    "the CRF starts cold at each restart (epoch change)," + " frame " + play * CLIP_FRAMES
                            + "; cold frames: " + cold.indices);
        }
    }

    /** Output indices of frames the CRF did not warm-start. */
    private static final class ColdFrames implements PipelineListener {
        final List<Long> indices = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onFrame(FrameReport report) {
            if (report.crfIterations() > 0 && !report.crfWarm()) {
                indices.add(report.index());
            }
        }
    }

    private static MemorySeries soak(SegmentConfig config, PipelineListener more) throws Exception {
        Path out = dir.resolve("soak.mp4");
        MemorySampler sampler = new MemorySampler(new NativeMemoryProbe(), SAMPLE_EVERY);
        LoopingSource source = new LoopingSource(clip, SourceOptions.forFile(), LoopingSource.FOREVER);
        PipelineSummary summary;
        try (DeepLabModel model = ModelCache.processWide().acquire(Shared.model())) {
            summary = Pipelines.builder(
                            config,
                            model,
                            source,
                            List.of(new VideoFileSink(
                                    out, VideoSinkOptions.defaults().withPreset("ultrafast"))))
                    .maxFrames(FRAMES)
                    .listener(PipelineListener.all(List.of(sampler, more)))
                    .start()
                    .await();
        }
        assertNull(summary.failure());
        assertEquals(FRAMES, summary.framesOut());
        assertEquals(FRAMES / CLIP_FRAMES - 1, source.restarts(), "the clip was played over and over");
        long crfFrames = summary.stages().get(FrameReport.Stage.CRF).samples();
        assertEquals(config.crf().enabled() ? FRAMES : 0, crfFrames, "frames through the CRF stage");
        MemorySeries series = sampler.series();
        System.out.printf(
                Locale.ROOT,
                "soak %d frames of %s at %.1f fps%n%s",
                FRAMES,
                clip.getFileName(),
                summary.framesPerSecond(),
                series.table("frames"));
        Files.deleteIfExists(out);
        return series;
    }

    private static void check(MemorySeries series) {
        assertEquals(FRAMES / SAMPLE_EVERY, series.size());
        List<String> violations = LeakCheck.afterWarmup(WARMUP)
                // JavaCPP bytes and direct buffers are exact counts of what is allocated and not freed; the slack
                // covers buffers in flight at the moment of a sample (a tensor being filled, an encoder packet)
                .allow(MemoryCounter.JAVACPP_BYTES, 256 * 1024)
                .allow(MemoryCounter.JAVACPP_POINTERS, 32)
                .allow(MemoryCounter.DIRECT_BYTES, 1 << 20)
                .allow(MemoryCounter.DIRECT_BUFFERS, 32)
                // RSS is noisy: glibc malloc arenas of the stage threads, TensorFlow's allocator caches, JIT code
                // and G1 growing its young generation (the surefire JVM may use up to 4 GiB) all move it by tens of
                // MiB with no leak. A per-frame leak of a 160x90 frame's buffers (about 60 KiB RGB + overlay +
                // labels) over 300 frames is about 20 MiB, and of a TF tensor far more; the fixed precise counters
                // above catch those. This bound catches the gross native leaks JavaCPP does not see (FFmpeg
                // contexts of each restarted play, CRF buffers): 6 restarts leaking a decoder each would pass it
                // only if a decoder were under 10 MiB, so it stays a coarse net.
                .allowPercent(MemoryCounter.RSS, 64L << 20, 10)
                .violations(series);
        assertTrue(violations.isEmpty(), violations + "\n" + series.table("frames"));
    }
}

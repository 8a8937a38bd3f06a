package dev.segment.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.WarmGate;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.crf.CrfRefiner;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.support.RecordingSink;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The configured pipeline on a real clip and the real model, with the CRF stage on. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelinesCrfTest {
    private static final Path CLIP = Shared.video("intel_one-by-one-person-detection.mp4");
    private static final Path MODEL = Shared.model();
    private static final int PERSON = 15;

    @ModelTest
    @Test
    void shouldStartColdThenWarmAndKeepThePersonWhenTheCrfRefinesAClip() throws Exception {
        SegmentConfig config = SegmentConfig.defaults()
                .withOverride("crf.enabled", "true", "test")
                .withOverride("crf.scale", "0.5", "test");
        List<FrameReport> withCrf = run(config);
        List<FrameReport> without = run(SegmentConfig.defaults());

        assertEquals(5, withCrf.size());
        assertFalse(withCrf.get(0).crfWarm(), "the first frame has no previous state");
        assertEquals(config.crf().iterations(), withCrf.get(0).crfIterations());
        for (int i = 1; i < withCrf.size(); i++) {
            assertTrue(withCrf.get(i).crfWarm(), "frame " + i + " continues the stream");
            assertEquals(config.crf().warmIterations(), withCrf.get(i).crfIterations());
        }
        for (int i = 0; i < withCrf.size(); i++) {
            double crf = fraction(withCrf.get(i));
            double raw = fraction(without.get(i));
            assertTrue(raw > 0.03, "the model sees the person in frame " + i + ": " + raw);
            assertTrue(Math.abs(crf - raw) < 0.5 * raw, "frame " + i + ": CRF person " + crf + " vs model " + raw);
        }
    }

    @Test
    void shouldPassTheConfiguredTemporalTermToTheCrf() throws Exception {
        SegmentConfig config = SegmentConfig.defaults()
                .withOverride("crf.temporal.weight", "3.5", "test")
                .withOverride("crf.temporal.srgb", "7", "test");
        var gate = CrfRefiner.temporalConfig(config.crf()).gate();
        assertEquals(3.5, gate.temporalWeight());
        assertEquals(7.0, gate.temporalSrgb());
        var off = CrfRefiner.temporalConfig(SegmentConfig.defaults()
                        .withOverride("crf.temporal.weight", "0", "test")
                        .crf())
                .gate();
        assertEquals(0.0, off.temporalWeight());
    }

    @Test
    void shouldPassTheConfiguredCameraMotionRangeToTheCrf() throws Exception {
        assertEquals(
                32,
                CrfRefiner.temporalConfig(SegmentConfig.defaults().crf()).gate().motionRange());
        var still = CrfRefiner.temporalConfig(SegmentConfig.defaults()
                        .withOverride("crf.cameraMotion", "0", "test")
                        .crf())
                .gate();
        assertEquals(0, still.motionRange());
        assertEquals(WarmGate.DEFAULT.temporalWeight(), still.temporalWeight(), "other gate fields keep defaults");
    }

    @ModelTest
    @Test
    void aLiveSourcesCrfStartsOnTheGridOfItsFloorWhileAFilesKeepsTheLimit() throws Exception {
        SegmentConfig config = SegmentConfig.defaults().withOverride("crf.enabled", "true", "test");
        List<FrameReport> file = run(config, false);
        List<FrameReport> live = run(config, true);
        assertEquals(5, file.size());
        for (FrameReport r : file) {
            assertEquals(
                    CrfRefiner.gridSize(config.crf(), r.width(), r.height()),
                    r.crfWidth() + "x" + r.crfHeight(),
                    "a file: crf.maxPixels, always");
        }
        assertFalse(live.isEmpty());
        for (FrameReport r : live) {
            assertEquals(
                    CrfRefiner.gridSize(config.crf().withMaxPixels(config.crf().minPixels()), r.width(), r.height()),
                    r.crfWidth() + "x" + r.crfHeight(),
                    "a camera starts at crf.minPixels and climbs only after seconds with room");
        }
        List<FrameReport> fixed = run(config.withOverride("crf.minPixels", "0", "test"), true);
        assertFalse(fixed.isEmpty());
        FrameReport first = fixed.get(0);
        assertEquals(
                CrfRefiner.gridSize(config.crf(), first.width(), first.height()),
                first.crfWidth() + "x" + first.crfHeight(),
                "minPixels 0: a camera's CRF keeps the limit too");
    }

    private static double fraction(FrameReport r) {
        return (double) r.classPixels()[PERSON] / r.pixels();
    }

    private static List<FrameReport> run(SegmentConfig config) throws Exception {
        return run(config, false);
    }

    /** Five frames of the clip from frame 75; {@code live}: marked live and paced at its frame rate, as a camera. */
    private static List<FrameReport> run(SegmentConfig config, boolean live) throws Exception {
        List<FrameReport> reports = Collections.synchronizedList(new ArrayList<>());
        try (DeepLabModel model = DeepLabModel.load(MODEL)) {
            FfmpegSource source = new FfmpegSource(
                    CLIP.toString(),
                    SourceOptions.forFile().withStartFrame(75).withLive(live).withRealtime(live));
            PipelineSummary s = Pipelines.builder(config, model, source, List.of(new RecordingSink()))
                    .maxFrames(5)
                    .listener(new PipelineListener() {
                        @Override
                        public void onFrame(FrameReport r) {
                            reports.add(new FrameReport(
                                    r.index(),
                                    r.ptsMicros(),
                                    r.width(),
                                    r.height(),
                                    r.classPixels().clone(),
                                    r.stageNanos().clone(),
                                    r.stageCpuNanos().clone(),
                                    r.latencyNanos(),
                                    r.crfIterations(),
                                    r.crfWarm(),
                                    r.crfWidth(),
                                    r.crfHeight(),
                                    r.keyframe()));
                        }
                    })
                    .start()
                    .await();
            assertNull(s.failure());
        }
        return reports;
    }
}

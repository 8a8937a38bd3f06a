package dev.segment.engine.keyframes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.engine.support.RecordingSink;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Keyframe inference with propagation on real clips and the real model, through the configured pipeline. */
@ModelTest
@SystemTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KeyframePipelineTest {
    private static final Path PEOPLE = Shared.video("intel_one-by-one-person-detection.mp4");
    private static final Path CARS = Shared.video("intel_car-detection.mp4");
    private static final Path MODEL = Shared.model();
    private static final int PERSON = 15;

    @TempDir
    static Path dir;

    private static DeepLabModel model;

    @BeforeAll
    static void load() throws Exception {
        model = DeepLabModel.load(MODEL);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aPersonWalkingInIsLabelledWithinTwoFramesOfThePerFrameModel() throws Exception {
        // The people clip: an empty room until a person walks in from the side around frame 61.
        SourceOptions window = SourceOptions.forFile().withStartFrame(50);
        List<FrameReport> everyFrame = run(config("all", false), new FfmpegSource(PEOPLE.toString(), window), 30);
        List<FrameReport> auto = run(config("auto", false), new FfmpegSource(PEOPLE.toString(), window), 30);
        int first = -1;
        for (int i = 0; i < everyFrame.size(); i++) {
            if (person(everyFrame.get(i)) > 0.01) {
                first = i;
                break;
            }
        }
        assertTrue(first > 0, "the per-frame model finds the person walking in, after an empty first frame");
        assertEquals(0.0, person(auto.get(0)), "no person before they enter");
        for (int i = first + 2; i < auto.size(); i++) {
            double model = person(everyFrame.get(i));
            assertTrue(
                    person(auto.get(i)) > 0.5 * model,
                    "frame " + i + " (the person entered at " + first + "): keyframe mode labels " + person(auto.get(i))
                            + " of the frame person, per-frame " + model);
        }
        assertTrue(keyframes(auto) < auto.size(), "some frames are carried: " + keyframes(auto));
    }

    @Test
    void aSceneCutForcesAKeyframeAndDropsTheCrfWarmStart() throws Exception {
        // 12 frames of the empty room, then 12 of a road: both retimed to 25 fps (the sources differ) and joined
        Path room = dir.resolve("room.mp4");
        Path road = dir.resolve("road.mp4");
        Path clip = dir.resolve("cut.mp4");
        ffmpeg(
                "-ss",
                "3",
                "-i",
                PEOPLE.toString(),
                "-frames:v",
                "12",
                "-vf",
                "scale=384:216,setsar=1,setpts=N/(25*TB)",
                "-r",
                "25",
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                room.toString());
        ffmpeg(
                "-ss",
                "1",
                "-i",
                CARS.toString(),
                "-frames:v",
                "12",
                "-vf",
                "scale=384:216,setsar=1,setpts=N/(25*TB)",
                "-r",
                "25",
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                road.toString());
        ffmpeg(
                "-i",
                room.toString(),
                "-i",
                road.toString(),
                "-filter_complex",
                "[0:v][1:v]concat=n=2:v=1[v]",
                "-map",
                "[v]",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                clip.toString());
        SegmentConfig config = config("auto", true).withOverride("keyframes.maxInterval", "100", "test");
        List<FrameReport> r = run(config, new FfmpegSource(clip.toString(), SourceOptions.forFile()), -1);
        assertEquals(24, r.size());
        FrameReport cut = r.get(12);
        assertTrue(cut.keyframe().model(), "the first frame of the second shot runs the model");
        assertEquals(KeyframeReason.CUT, cut.keyframe().reason());
        assertFalse(cut.crfWarm(), "the CRF's warm start does not survive the cut");
        for (int i = 1; i < r.size(); i++) {
            if (i != 12) {
                assertTrue(r.get(i).keyframe().reason() != KeyframeReason.CUT, "frame " + i + " is not a cut");
            }
        }
        assertTrue(r.get(13).crfWarm(), "the new shot continues warm after its first frame");
    }

    @Test
    void keyframesAllRunsTheModelOnEveryFrameWithTheLabelsOfThePipelineWithoutKeyframes() throws Exception {
        SourceOptions window = SourceOptions.forFile().withStartFrame(70);
        List<FrameReport> all = run(config("all", false), new FfmpegSource(PEOPLE.toString(), window), 8);
        List<FrameReport> plain = new ArrayList<>();
        PipelineSummary s = dev.segment.engine.pipeline.Pipeline.builder()
                .source(new FfmpegSource(PEOPLE.toString(), window))
                .sink(new RecordingSink())
                .segmenter(new dev.segment.engine.DeepLabSegmenters(model, false))
                .maxFrames(8)
                .listener(recorder(plain))
                .start()
                .await();
        assertNull(s.failure());
        assertEquals(8, s.keyframes());
        for (int i = 0; i < all.size(); i++) {
            assertTrue(all.get(i).keyframe().model());
            assertEquals(KeyframeReason.ALL, all.get(i).keyframe().reason());
            assertEquals(
                    java.util.Arrays.toString(plain.get(i).classPixels()),
                    java.util.Arrays.toString(all.get(i).classPixels()),
                    "frame " + i);
        }
    }

    @Test
    void aNewFrameSizeAndARestartMidStreamRestartPropagation() throws Exception {
        FrameSource source = new Scripted(
                new FfmpegSource(PEOPLE.toString(), SourceOptions.forFile().withStartFrame(70)), 6, 12);
        List<FrameReport> r = run(config("auto", true).withOverride("crf.scale", "0.5", "test"), source, 18);
        assertEquals(18, r.size());
        assertEquals(KeyframeReason.START, r.get(0).keyframe().reason());
        assertEquals(KeyframeReason.SIZE, r.get(6).keyframe().reason());
        assertEquals(768 / 2, r.get(6).width());
        assertEquals(KeyframeReason.RESTART, r.get(12).keyframe().reason());
        for (int i : new int[] {6, 12}) {
            assertTrue(r.get(i).keyframe().model());
            assertFalse(r.get(i).crfWarm(), "frame " + i + " starts the CRF cold");
        }
        for (int i = 1; i < r.size(); i++) {
            if (i != 6 && i != 12) {
                assertTrue(person(r.get(i)) > 0.02, "frame " + i + " keeps the person: " + person(r.get(i)));
            }
        }
    }

    @Test
    void aLiveSourceRunsTheModelBesideTheStreamAndCarriesEveryFrame() throws Exception {
        // Paced like a 25 fps camera; frames replaced while inference is busy count as drops, the rest come out.
        FrameSource live = new Scripted(
                        new FfmpegSource(
                                PEOPLE.toString(), SourceOptions.forFile().withStartFrame(60)),
                        -1,
                        -1)
                .live(25);
        List<FrameReport> r = Collections.synchronizedList(new ArrayList<>());
        var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        var metrics = new dev.segment.engine.metrics.PipelineMetrics(registry);
        PipelineSummary s = Pipelines.builder(config("auto", false), model, live, List.of(new RecordingSink()))
                .maxFrames(60)
                .listener(PipelineListener.all(List.of(recorder(r), metrics)))
                .start()
                .await();
        assertNull(s.failure());
        assertTrue(s.framesOut() > 0);
        long carried = r.stream().filter(f -> !f.keyframe().model()).count();
        long asked = r.stream()
                .filter(f -> !f.keyframe().model() && f.keyframe().reason() != KeyframeReason.CARRIED)
                .count();
        assertTrue(
                carried > r.size() / 2,
                "most frames are carried, the model runs beside them: " + carried + " of " + r.size());
        assertTrue(s.keyframes() >= 2, "the model ran again in the background: " + s.keyframes());
        assertTrue(person(r.get(r.size() - 1)) > 0.02, "the person who walked in is labelled at the end");
        var counted = registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("segment_carried_frames"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                (double) carried,
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot) counted)
                        .getDataPoints()
                        .get(0)
                        .getValue(),
                "Prometheus counts every frame whose scores were carried");
        assertEquals(s.framesOut(), metrics.keyframes() + metrics.carriedFrames(), "keyframes + carried = out");
        assertTrue(asked > 0, "live frames ask for the model while they are carried: " + asked);
        r.forEach(f -> assertEquals(
                f.keyframe().model(),
                f.keyframe().keyframeReason() != KeyframeReason.CARRIED,
                "keyframe_reason is carried exactly when the frame's scores were carried"));
    }

    @Test
    void theBudgetBoundsTheModelRunsOnMovingFootageAndTheRestAreCarried() throws Exception {
        // A panning camera following a car: the thresholds ask for the model on nearly every frame.
        Path davis = Shared.dir().resolve("data/davis/car-roundabout/video.mjpeg.mkv");
        int frames = 40;
        List<FrameReport> free = run(
                config("auto", false).withOverride("keyframes.budget", "1", "test"),
                new FfmpegSource(davis.toString(), SourceOptions.forFile()),
                frames);
        List<FrameReport> quarter = run(
                config("auto", false).withOverride("keyframes.budget", "0.25", "test"),
                new FfmpegSource(davis.toString(), SourceOptions.forFile()),
                frames);
        long freeRuns = free.stream().filter(r -> r.keyframe().model()).count();
        long quarterRuns = quarter.stream().filter(r -> r.keyframe().model()).count();
        // the start, plus the two runs the full bucket holds, plus a quarter of the frames
        assertTrue(quarterRuns <= 1 + 2 + frames / 4, "budget 0.25: the model on " + quarterRuns + " frames");
        assertTrue(freeRuns > quarterRuns + 5, "the thresholds alone ask for more: " + freeRuns);
        long carriedAsking = quarter.stream()
                .filter(r -> !r.keyframe().model() && r.keyframe().askedForModel())
                .count();
        assertTrue(carriedAsking > 0, "frames the budget refused still say they asked: " + carriedAsking);
    }

    @Test
    void aFileGivesTheSameOutputHoweverLongTheModelTakes() throws Exception {
        // A file's keyframes are chosen ahead of the model, which runs on its own thread: with a model slower than
        // every other stage the choosing runs as far ahead as the ring lets it. Neither the keyframes nor the labels
        // may depend on that.
        Path davis = Shared.dir().resolve("data/davis/car-roundabout/video.mjpeg.mkv");
        int frames = 30;
        SegmentConfig config = config("auto", true);
        List<FrameReport> plain =
                run(config, new FfmpegSource(davis.toString(), SourceOptions.forFile()), frames, f -> f);
        List<FrameReport> slow = run(
                config,
                new FfmpegSource(davis.toString(), SourceOptions.forFile()),
                frames,
                KeyframePipelineTest::slow);
        assertEquals(frames, plain.size());
        assertEquals(frames, slow.size());
        assertTrue(keyframes(plain) >= 4, "the model on " + keyframes(plain) + " frames");
        for (int i = 0; i < frames; i++) {
            FrameReport a = plain.get(i);
            FrameReport b = slow.get(i);
            assertEquals(a.keyframe().keyframeReason(), b.keyframe().keyframeReason(), "frame " + i);
            assertArrayEquals(a.classPixels(), b.classPixels(), "labels of frame " + i);
        }
    }

    /** The same model, 200 ms slower a run. */
    private static FrameSegmenter.Factory slow(FrameSegmenter.Factory factory) {
        return (w, h) -> {
            FrameSegmenter inner = factory.create(w, h);
            return new FrameSegmenter() {
                @Override
                public void segment(VideoFrame frame, ScoreGrid out) throws Exception {
                    Thread.sleep(200);
                    inner.segment(frame, out);
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        };
    }

    private static SegmentConfig config(String keyframes, boolean crf) throws Exception {
        return SegmentConfig.defaults()
                .withOverride("keyframes.mode", keyframes, "test")
                .withOverride("crf.enabled", Boolean.toString(crf), "test");
    }

    private static List<FrameReport> run(SegmentConfig config, FrameSource source, int frames) throws Exception {
        return run(config, source, frames, f -> f);
    }

    private static List<FrameReport> run(
            SegmentConfig config, FrameSource source, int frames, UnaryOperator<FrameSegmenter.Factory> model)
            throws Exception {
        List<FrameReport> reports = Collections.synchronizedList(new ArrayList<>());
        var b = Pipelines.builder(config, KeyframePipelineTest.model, source, List.of(new RecordingSink()))
                .listener(recorder(reports));
        b.segmenter(model.apply(b.segmenter()));
        if (frames > 0) {
            b.maxFrames(frames);
        }
        PipelineSummary s = b.start().await();
        assertNull(s.failure(), () -> String.valueOf(s.failure()));
        return reports;
    }

    private static PipelineListener recorder(List<FrameReport> into) {
        return new PipelineListener() {
            @Override
            public void onFrame(FrameReport r) {
                into.add(new FrameReport(
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
        };
    }

    private static double person(FrameReport r) {
        return r.classPixels().length > PERSON ? (double) r.classPixels()[PERSON] / r.pixels() : 0;
    }

    private static long keyframes(List<FrameReport> r) {
        return r.stream().filter(f -> f.keyframe().model()).count();
    }

    /** {@code ffmpeg ARGS... OUT}, the output's path last. */
    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        Path out = Path.of(args[args.length - 1]);
        Ffmpeg.ffmpeg(out, java.util.Arrays.copyOf(args, args.length - 1));
        assertTrue(Files.size(out) > 0);
    }

    /**
     * A real clip with scripted faults: from frame {@code halfFrom} on, frames come at half the size (every other
     * pixel); frame {@code restartAt} starts a new epoch (what a reconnect or seek does). Optionally paced live.
     */
    private static final class Scripted implements FrameSource {
        private final FfmpegSource delegate;
        private final int halfFrom;
        private final int restartAt;
        private final VideoFrame full = new VideoFrame(1, 1);
        private int read;
        private long intervalNanos;
        private long due;

        Scripted(FfmpegSource delegate, int halfFrom, int restartAt) {
            this.delegate = delegate;
            this.halfFrom = halfFrom;
            this.restartAt = restartAt;
        }

        Scripted live(double fps) {
            intervalNanos = (long) (1e9 / fps);
            return this;
        }

        @Override
        public VideoInfo open() throws IOException {
            VideoInfo i = delegate.open();
            due = System.nanoTime();
            return intervalNanos == 0 ? i : new VideoInfo(i.width(), i.height(), 25, -1, 0, 0, true, "paced");
        }

        @Override
        public boolean read(VideoFrame frame) throws IOException {
            if (intervalNanos > 0) {
                due += intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            boolean half = halfFrom >= 0 && read >= halfFrom;
            if (!delegate.read(half ? full : frame)) {
                return false;
            }
            if (half) {
                int w = full.width() / 2;
                int h = full.height() / 2;
                ByteBuffer src = full.rgb();
                ByteBuffer dst = frame.resize(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int s = ((2 * y) * full.width() + 2 * x) * 3;
                        int d = (y * w + x) * 3;
                        dst.put(d, src.get(s)).put(d + 1, src.get(s + 1)).put(d + 2, src.get(s + 2));
                    }
                }
                frame.setPtsMicros(full.ptsMicros());
            }
            if (restartAt >= 0 && read >= restartAt) {
                frame.setEpoch(1);
            }
            read++;
            return true;
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}

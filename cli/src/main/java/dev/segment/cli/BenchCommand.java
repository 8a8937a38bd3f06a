package dev.segment.cli;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.MotionModel;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.Pipeline;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.Pipelines;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.CrfRefiner;
import dev.segment.engine.DeepLabSegmenters;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.engine.motion.LumaImage;
import dev.segment.engine.motion.LumaScaler;
import dev.segment.engine.motion.MotionEstimator;
import dev.segment.engine.motion.ScoreWarper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code segment bench INPUT --model GRAPH.pb}: throughput of each stage alone (decode, inference, CRF when on,
 * propagation, overlay+encode) on frames of a real clip, then of the full pipeline with the model on every frame
 * ({@code keyframes all}: how close it comes to its slowest stage, ideally 1.0, as the stages overlap on their own
 * threads) and with keyframes ({@code keyframes auto}: its speed against {@code all}). Prints numbers; asserts none.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure per-stage and full-pipeline throughput on a real clip.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT", description = "A video file.")
    Path input;

    @Option(names = "--frames", paramLabel = "N", description = "Frames per measurement (default ${DEFAULT-VALUE}).")
    int frames = 100;

    @Option(names = "--warmup", paramLabel = "N", description = "Frames run before each measurement (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || warmup < 0) {
            throw new ConfigException("--frames", "bench.frames", String.valueOf(frames), "must be at least 1");
        }
        SegmentConfig config = common.load(new ConfigOverrides());
        common.requireModel(config);
        PrintStream out = System.out;
        try (DeepLabModel model = ModelCache.processWide().acquire(Path.of(config.model().path()),
                Pipelines.inferenceThreads(config))) {
            List<VideoFrame> clip = decodeClip(out);
            VideoFrame first = clip.get(0);
            out.printf(Locale.ROOT, "clip: %s, %dx%d, %d frames held in memory; model %s (%s)%n", input,
                    first.width(), first.height(), clip.size(), model.file().getFileName(),
                    config.inference().unpadded() ? "unpadded" : "padded");
            double decode = decodeFps();
            report(out, "decode only", decode);
            List<ByteBuffer> labels = new ArrayList<>();
            double infer = inferenceFps(model, config, clip, labels);
            report(out, "inference only", infer);
            double slowest = Math.min(decode, infer);
            String slowestName = decode < infer ? "decode" : "inference";
            if (config.crf().enabled()) {
                double crf = crfFps(config, model, clip);
                report(out, "crf only", crf);
                if (crf < slowest) {
                    slowest = crf;
                    slowestName = "crf";
                }
            }
            report(out, "propagate only", propagateFps(config, model, clip));
            double encode = encodeFps(config, clip, labels);
            report(out, "overlay+encode only", encode);
            if (encode < slowest) {
                slowest = encode;
                slowestName = "overlay+encode";
            }
            PipelineSummary all = pipeline(config.withOverride("keyframes.mode", "all", "bench"), model);
            report(out, "full, keyframes all", all.framesPerSecond());
            out.printf(Locale.ROOT, "full / slowest stage (%s) = %.2f (target >= 0.90)%n", slowestName,
                    all.framesPerSecond() / slowest);
            PipelineSummary auto = pipeline(config.withOverride("keyframes.mode", "auto", "bench"), model);
            report(out, "full, keyframes auto", auto.framesPerSecond());
            out.printf(Locale.ROOT, "keyframes auto: the model on %d of %d frames; %.2fx the speed of keyframes all%n",
                    auto.keyframes(), auto.framesOut(), auto.framesPerSecond() / all.framesPerSecond());
        }
        return ExitCodes.OK;
    }

    private static void report(PrintStream out, String what, double fps) {
        out.printf(Locale.ROOT, "%-22s %8.2f fps  %8.2f ms/frame%n", what, fps, 1000.0 / fps);
        out.flush();
    }

    private List<VideoFrame> decodeClip(PrintStream out) throws IOException {
        List<VideoFrame> clip = new ArrayList<>();
        int keep = Math.min(frames, 60);
        try (FfmpegSource source = new FfmpegSource(input.toString(), SourceOptions.forFile())) {
            VideoInfo info = source.open();
            for (int i = 0; i < keep; i++) {
                VideoFrame f = new VideoFrame(info.width(), info.height());
                if (!source.read(f)) {
                    break;
                }
                clip.add(f);
            }
        }
        if (clip.isEmpty()) {
            throw new IOException(input + ": no video frames decoded");
        }
        return clip;
    }

    private double decodeFps() throws IOException {
        try (FfmpegSource source = new FfmpegSource(input.toString(), SourceOptions.forFile())) {
            VideoInfo info = source.open();
            VideoFrame f = new VideoFrame(info.width(), info.height());
            int n = 0;
            long t0 = System.nanoTime();
            while (n < frames + warmup && source.read(f)) {
                if (++n == warmup) {
                    t0 = System.nanoTime();
                }
            }
            return rate(Math.max(1, n - warmup), t0);
        }
    }

    private double inferenceFps(DeepLabModel model, SegmentConfig config, List<VideoFrame> clip,
                                List<ByteBuffer> labelsOut) throws Exception {
        VideoFrame first = clip.get(0);
        ScoreGrid grid = new ScoreGrid();
        try (FrameSegmenter seg = new DeepLabSegmenters(model, config.inference().unpadded())
                .create(first.width(), first.height())) {
            for (int i = 0; i < warmup; i++) {
                seg.segment(clip.get(i % clip.size()), grid);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                VideoFrame f = clip.get(i % clip.size());
                seg.segment(f, grid);
                ByteBuffer l = i < clip.size() ? ByteBuffer.allocateDirect(f.width() * f.height()) : labelsOut.get(i % clip.size());
                grid.argmax(f.width(), f.height(), l);
                if (i < clip.size()) {
                    labelsOut.add(l);
                }
            }
            return rate(frames, t0);
        }
    }

    private double crfFps(SegmentConfig config, DeepLabModel model, List<VideoFrame> clip) throws Exception {
        VideoFrame first = clip.get(0);
        List<ScoreGrid> grids = new ArrayList<>();
        try (FrameSegmenter seg = new DeepLabSegmenters(model, config.inference().unpadded())
                .create(first.width(), first.height())) {
            for (VideoFrame f : clip) {
                ScoreGrid g = new ScoreGrid();
                seg.segment(f, g);
                grids.add(g);
            }
        }
        ByteBuffer labels = ByteBuffer.allocateDirect(first.width() * first.height());
        try (CrfRefiner crf = new CrfRefiner(config.crf())) {
            System.out.println("crf backend: " + crf.backendDescription());
            for (int i = 0; i < warmup; i++) {
                crf.refine(clip.get(i % clip.size()), grids.get(i % clip.size()), labels);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                crf.refine(clip.get(i % clip.size()), grids.get(i % clip.size()), labels);
            }
            return rate(frames, t0);
        }
    }

    private double encodeFps(SegmentConfig config, List<VideoFrame> clip, List<ByteBuffer> labels) throws IOException {
        Path tmp = Files.createTempFile("segment-bench-encode", ".mp4");
        OverlayRenderer overlay = new OverlayRenderer(config.overlay().alpha(), config.overlay().legend());
        VideoFrame first = clip.get(0);
        ByteBuffer painted = ByteBuffer.allocateDirect(first.width() * first.height() * 3);
        VideoFileSink sink = new VideoFileSink(tmp, VideoSinkOptions.defaults()
                .withPreset(config.output().preset()).withCrf(config.output().quality()));
        try {
            sink.open(new VideoInfo(first.width(), first.height(), 25, frames, 0, 0, false, "bench"));
            long t0 = System.nanoTime();
            for (int i = 0; i < frames + warmup; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                }
                int k = i % clip.size();
                VideoFrame f = clip.get(k);
                ByteBuffer l = labels.get(k);
                overlay.render(f.rgb(), l, f.width(), f.height(), painted);
                sink.write(new BenchFrame(i, i * 40_000L, f, l, painted));
            }
            sink.close();
            return rate(frames, t0);
        } finally {
            sink.close();
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The propagation stage alone on consecutive frames of the clip: luma at the working size, the motion back to the
     * keyframe and the warp of its scores, with a new keyframe (from the model, outside the timing) every
     * {@code keyframes.maxInterval} frames.
     */
    private double propagateFps(SegmentConfig config, DeepLabModel model, List<VideoFrame> clip) throws Exception {
        VideoFrame first = clip.get(0);
        int interval = config.keyframes().maxInterval();
        List<ScoreGrid> keyGrids = new ArrayList<>();
        try (FrameSegmenter seg = new DeepLabSegmenters(model, config.inference().unpadded())
                .create(first.width(), first.height())) {
            for (int k = 0; k < clip.size(); k += interval) {
                ScoreGrid g = new ScoreGrid();
                seg.segment(clip.get(k), g);
                keyGrids.add(g);
            }
        }
        ScoreWarper warper = new ScoreWarper();
        ScoreGrid out = new ScoreGrid();
        LumaImage key = new LumaImage();
        LumaImage current = new LumaImage();
        try (LumaScaler scaler = new LumaScaler(config.keyframes().flowWidth());
             MotionEstimator motion = new MotionEstimator(config.keyframes().motion() == MotionModel.GLOBAL)) {
            long t0 = System.nanoTime();
            int timed = 0;
            for (int i = 0; i < frames + warmup; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                    timed = 0;
                }
                int k = i % clip.size();
                VideoFrame f = clip.get(k);
                if (k % interval == 0) {
                    scaler.scale(f, key); // a keyframe: its luma is what later frames are measured against
                    continue;
                }
                scaler.scale(f, current);
                motion.estimate(current, key);
                warper.warp(keyGrids.get(k / interval), motion, current.width(), current.height(), f.width(),
                        f.height(), out);
                timed++;
            }
            return timed * 1e9 / (System.nanoTime() - t0);
        }
    }

    private PipelineSummary pipeline(SegmentConfig config, DeepLabModel model) throws Exception {
        Path tmp = Files.createTempFile("segment-bench-pipeline", ".mp4");
        try {
            List<FrameSink> sinks = List.of(new VideoFileSink(tmp, VideoSinkOptions.defaults()
                    .withPreset(config.output().preset()).withCrf(config.output().quality())));
            Pipeline.Builder b = Pipelines.builder(config, model,
                    new FfmpegSource(input.toString(), SourceOptions.forFile()), sinks).maxFrames(frames);
            PipelineSummary s = b.start().await();
            if (s.failure() != null) {
                throw s.failure() instanceof Exception e ? e : new RuntimeException(s.failure());
            }
            return s;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double rate(int n, long t0) {
        return n * 1e9 / (System.nanoTime() - t0);
    }

    /** One frame for the encode-only measurement. */
    private record BenchFrame(long index, long ptsMicros, VideoFrame input, ByteBuffer labels, ByteBuffer painted)
            implements SegmentedFrame {
        @Override
        public int width() {
            return input.width();
        }

        @Override
        public int height() {
            return input.height();
        }

        @Override
        public ByteBuffer overlay() {
            return painted.duplicate().position(0).limit(input.width() * input.height() * 3);
        }

        @Override
        public ByteBuffer labels() {
            return labels.duplicate().position(0);
        }
    }
}

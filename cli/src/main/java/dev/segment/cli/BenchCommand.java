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
 * overlay+encode) on frames of a real clip, then of the full pipeline, and how close the pipeline comes to its
 * slowest stage (the stages overlap on their own threads, so the ideal ratio is 1.0). Prints numbers; asserts none.
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
            double encode = encodeFps(config, clip, labels);
            report(out, "overlay+encode only", encode);
            if (encode < slowest) {
                slowest = encode;
                slowestName = "overlay+encode";
            }
            double full = pipelineFps(config, model);
            report(out, "full pipeline", full);
            out.printf(Locale.ROOT, "full / slowest stage (%s) = %.2f (target >= 0.90)%n", slowestName, full / slowest);
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

    private double pipelineFps(SegmentConfig config, DeepLabModel model) throws Exception {
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
            return s.framesPerSecond();
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

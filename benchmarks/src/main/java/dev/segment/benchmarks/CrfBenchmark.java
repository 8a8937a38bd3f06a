package dev.segment.benchmarks;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.LabelRefiner;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.crf.CrfRefiner;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CRF stage ({@link CrfRefiner}) on consecutive frames of a video with the default configuration (CRF on, CPU):
 * the model's logits grid upsampled natively and refined by the warm-started DenseCRF, labels written for the whole
 * frame. Frames alternate between two real ones, so every refine after the first starts warm, as in a video.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CrfBenchmark {
    @Param(Frames.DEFAULT_VIDEO)
    public String video;

    private List<VideoFrame> frames;
    private ScoreGrid scores;
    private CrfRefiner refiner;
    private ByteBuffer labels;
    private int next;

    @Setup
    public void setUp() throws Exception {
        frames = Frames.decode(video, 2);
        VideoFrame f = frames.get(0);
        scores = Frames.scores(f.width(), f.height());
        SegmentConfig config = SegmentConfig.defaults()
                .withOverride("crf.enabled", "true", "benchmark")
                .withOverride("crf.backend", "cpu", "benchmark");
        refiner = new CrfRefiner(config.crf());
        labels = ByteBuffer.allocateDirect(f.width() * f.height());
        refiner.refine(f, scores, labels);
        System.err.println("CRF on " + refiner.gridSize() + ", " + refiner.backendDescription());
    }

    @Benchmark
    public LabelRefiner.Result refine() {
        VideoFrame f = frames.get(next++ & 1);
        return refiner.refine(f, scores, labels);
    }

    @TearDown
    public void tearDown() {
        refiner.close();
    }
}

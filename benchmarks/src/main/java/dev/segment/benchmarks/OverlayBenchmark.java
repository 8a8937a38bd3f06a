package dev.segment.benchmarks;

import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.VideoFrame;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.pipeline.Pipelines;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The overlay ({@link OverlayRenderer}) of one real frame and its labels, legend and class names included, in both
 * styles: {@code outline} (the default: contours and a fill that stays visible on any colour) and {@code blend}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OverlayBenchmark {
    @Param(Frames.DEFAULT_VIDEO)
    public String video;

    @Param({"outline", "blend"})
    public String style;

    private VideoFrame frame;
    private ByteBuffer labels;
    private ByteBuffer painted;
    private OverlayRenderer overlay;

    @Setup
    public void setUp() throws Exception {
        frame = Frames.decode(video, 1).get(0);
        int w = frame.width();
        int h = frame.height();
        ScoreGrid scores = Frames.scores(w, h);
        labels = ByteBuffer.allocateDirect(w * h);
        scores.argmax(w, h, labels);
        painted = ByteBuffer.allocateDirect(w * h * 3);
        overlay = Pipelines.overlay(SegmentConfig.defaults().withOverride("overlay.style", style, "benchmark"));
    }

    @Benchmark
    public ByteBuffer render() {
        overlay.render(frame.rgb(), labels, frame.width(), frame.height(), painted);
        return painted;
    }
}

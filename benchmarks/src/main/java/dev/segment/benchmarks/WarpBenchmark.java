package dev.segment.benchmarks;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.Flow;
import dev.segment.engine.keyframes.LumaImage;
import dev.segment.engine.keyframes.Motion;
import dev.segment.engine.keyframes.Propagator;
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
 * Carrying a keyframe's scores to a later frame, the two steps of the propagate stage with the default configuration
 * ({@link Propagator}, the code the pipeline runs): {@link #motion} measures the motion from frame 3 back to frame 0
 * (luma at the flow's working width, DIS optical flow, the warp's error measures), {@link #warp} moves the keyframe's
 * logits grid along that motion.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WarpBenchmark {
    @Param(Frames.DEFAULT_VIDEO)
    public String video;

    private VideoFrame frame;
    private final LumaImage key = new LumaImage();
    private final LumaImage current = new LumaImage();
    private final Flow flow = new Flow();
    private Propagator propagator;
    private ScoreGrid keyScores;
    private final ScoreGrid out = new ScoreGrid();

    @Setup
    public void setUp() throws Exception {
        List<VideoFrame> frames = Frames.decode(video, 4);
        frame = frames.get(3);
        keyScores = Frames.scores(frame.width(), frame.height());
        propagator = new Propagator(SegmentConfig.defaults().keyframes());
        propagator.luma(frames.get(0), key);
        propagator.luma(frame, current);
        System.err.println("motion " + propagator.measure(current, key, flow) + " at luma " + current.width() + "x"
                + current.height());
    }

    @Benchmark
    public Motion motion() {
        propagator.luma(frame, current);
        return propagator.measure(current, key, flow);
    }

    @Benchmark
    public ScoreGrid warp() {
        propagator.carry(keyScores, flow, frame.width(), frame.height(), out);
        return out;
    }

    @TearDown
    public void tearDown() {
        propagator.close();
    }
}

package dev.segment.benchmarks;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.MotionModel;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.LumaImage;
import dev.segment.engine.keyframes.LumaScaler;
import dev.segment.engine.keyframes.MotionEstimator;
import dev.segment.engine.keyframes.ScoreWarper;
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
 * Carrying a keyframe's scores to a later frame, the two steps of the propagate stage with the default configuration:
 * {@link #motion} measures the motion from frame 3 back to frame 0 (luma at the flow's working width, DIS optical
 * flow, the warp's error measures), {@link #warp} moves the keyframe's logits grid along that motion
 * ({@link ScoreWarper}).
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
    private LumaScaler scaler;
    private MotionEstimator motion;
    private final ScoreWarper warper = new ScoreWarper();
    private ScoreGrid keyScores;
    private final ScoreGrid out = new ScoreGrid();

    @Setup
    public void setUp() throws Exception {
        List<VideoFrame> frames = Frames.decode(video, 4);
        frame = frames.get(3);
        keyScores = Frames.scores(frame.width(), frame.height());
        SegmentConfig config = SegmentConfig.defaults();
        scaler = new LumaScaler(config.keyframes().flowWidth());
        motion = new MotionEstimator(config.keyframes().motion() == MotionModel.GLOBAL);
        scaler.scale(frames.get(0), key);
        scaler.scale(frame, current);
        System.err.println(
                "motion " + motion.estimate(current, key) + " at luma " + current.width() + "x" + current.height());
    }

    @Benchmark
    public MotionEstimator.Motion motion() {
        scaler.scale(frame, current);
        return motion.estimate(current, key);
    }

    @Benchmark
    public ScoreGrid warp() {
        warper.warp(keyScores, motion, current.width(), current.height(), frame.width(), frame.height(), out);
        return out;
    }

    @TearDown
    public void tearDown() {
        motion.close();
        scaler.close();
    }
}

package dev.segment.engine;

import dev.segment.engine.pipeline.Pipeline;
import java.util.Map;

/**
 * The end of a run: how many frames went in and out, how long it took, where the time went, and how it ended.
 *
 * @param framesIn     frames decoded
 * @param framesOut    frames written to the sinks
 * @param framesDropped live frames dropped at the source (always 0 for files)
 * @param wallNanos    from start to the last sink closed
 * @param stages       per-stage timing statistics
 * @param stopped      true when {@link Pipeline#stop()} ended the run before the source did
 * @param failure      the first error that ended the run, or null
 * @param keyframes    frames the model ran on (all of them with keyframes off)
 * @param cpuNanos     CPU time of the whole process (every thread) during the run; -1 when unknown
 */
public record PipelineSummary(
        long framesIn,
        long framesOut,
        long framesDropped,
        long wallNanos,
        Map<FrameReport.Stage, StageStats> stages,
        boolean stopped,
        Throwable failure,
        long keyframes,
        long cpuNanos) {

    /**
     * Mean and 95th percentile milliseconds of one stage over the run, and its mean CPU milliseconds a frame (the
     * stage's own thread; the model's are TensorFlow's threads).
     */
    public record StageStats(double meanMillis, double p95Millis, long samples, double cpuMeanMillis) {}

    /** The process's CPU milliseconds per frame out (every thread: the stages, the model, x264, the JVM); -1 unknown. */
    public double cpuMillisPerFrame() {
        return cpuNanos < 0 || framesOut == 0 ? -1 : cpuNanos / 1e6 / framesOut;
    }

    /** The share of the frames out, in percent, whose scores are the model's own (keyframes); 0 with none out. */
    public double keyframePercent() {
        return framesOut == 0 ? 0.0 : 100.0 * Math.min(keyframes, framesOut) / framesOut;
    }

    public double framesPerSecond() {
        return wallNanos <= 0 ? 0 : framesOut * 1e9 / wallNanos;
    }
}

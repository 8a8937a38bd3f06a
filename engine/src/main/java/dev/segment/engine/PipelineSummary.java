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
 */
public record PipelineSummary(
        long framesIn,
        long framesOut,
        long framesDropped,
        long wallNanos,
        Map<FrameReport.Stage, StageStats> stages,
        boolean stopped,
        Throwable failure,
        long keyframes) {

    /** Mean and 95th percentile milliseconds of one stage over the run. */
    public record StageStats(double meanMillis, double p95Millis, long samples) {}

    public double framesPerSecond() {
        return wallNanos <= 0 ? 0 : framesOut * 1e9 / wallNanos;
    }
}

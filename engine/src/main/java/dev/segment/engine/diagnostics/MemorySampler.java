package dev.segment.engine.diagnostics;

import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;

/**
 * A pipeline listener that samples the memory counters every {@code every} frames into a {@link MemorySeries}, from
 * the output thread (about 50 µs per sample, nothing else per frame). Sample {@code n} is taken when {@code n} frames
 * have been written, so it always shows the pipeline in its running state, never after the sinks are closed.
 */
public final class MemorySampler implements PipelineListener {
    private final NativeMemoryProbe probe;
    private final int every;
    private final MemorySeries series = new MemorySeries();

    public MemorySampler(NativeMemoryProbe probe, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("sample interval must be at least 1 frame, got " + every);
        }
        this.probe = java.util.Objects.requireNonNull(probe, "probe");
        this.every = every;
    }

    @Override
    public void onFrame(FrameReport report) {
        long done = report.index() + 1;
        if (done % every == 0) {
            series.add(probe.sample(done));
        }
    }

    /** The samples so far (the same object for the whole run). */
    public MemorySeries series() {
        return series;
    }
}

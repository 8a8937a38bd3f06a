package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.codecs.FrameSink;
import dev.segment.engine.FramePainter;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.PipelineListener;
import java.io.IOException;
import java.util.List;

/**
 * Stage 3: paints the overlay, hands the frame to every sink in order, reports it, and at the end-of-stream marker
 * closes (finalizes) the sinks. After a failure anywhere, frames are no longer written but the marker still closes
 * the sinks, so what was written before the failure stays a valid file.
 */
final class OutputHandler implements EventHandler<FrameSlot> {
    private final List<FrameSink> sinks;
    private final FramePainter painter;
    private final PipelineListener listener;
    private final RunState state;
    private final StageClock encodeClock = new StageClock();
    private final StageClock decodeClock = new StageClock();
    private final StageClock latencyClock = new StageClock();
    private long[] classPixels;
    private boolean closed;

    OutputHandler(List<FrameSink> sinks, FramePainter painter, PipelineListener listener, RunState state, int classes) {
        this.sinks = List.copyOf(sinks);
        this.painter = painter;
        this.listener = listener;
        this.state = state;
        this.classPixels = new long[classes];
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream) {
            closeSinks();
            state.drained.complete(null);
            return;
        }
        if (state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        int w = slot.input.width();
        int h = slot.input.height();
        painter.paint(slot.input.rgb(), slot.labels(), w, h, slot.overlayForWrite());
        for (FrameSink sink : sinks) {
            sink.write(slot);
        }
        long t1 = System.nanoTime();
        slot.stageNanos[Stage.ENCODE.ordinal()] = t1 - t0;
        slot.stageCpuNanos[Stage.ENCODE.ordinal()] = ThreadCpu.now() - cpu0;
        encodeClock.record(t1 - t0, slot.stageCpuNanos[Stage.ENCODE.ordinal()]);
        decodeClock.record(slot.stageNanos[Stage.DECODE.ordinal()], slot.stageCpuNanos[Stage.DECODE.ordinal()]);
        long latency = t1 - slot.capturedAtNanos;
        latencyClock.record(latency, 0);
        countClasses(slot);
        state.framesOut.incrementAndGet();
        listener.onFrame(new FrameReport(
                slot.index,
                slot.input.ptsMicros(),
                w,
                h,
                classPixels,
                slot.stageNanos,
                slot.stageCpuNanos,
                latency,
                slot.crfIterations,
                slot.crfWarm,
                slot.crfWidth,
                slot.crfHeight,
                new FrameReport.Keyframe(
                        slot.keyframe,
                        slot.reason,
                        slot.motionX,
                        slot.motionY,
                        slot.residual,
                        slot.untrusted,
                        slot.change)));
    }

    private void countClasses(FrameSlot slot) {
        java.util.Arrays.fill(classPixels, 0L);
        java.nio.ByteBuffer labels = slot.labels();
        int n = labels.limit();
        for (int i = 0; i < n; i++) {
            int c = labels.get(i) & 0xff;
            if (c >= classPixels.length) {
                classPixels = java.util.Arrays.copyOf(classPixels, c + 1);
            }
            classPixels[c]++;
        }
    }

    /** Finalizes every sink once; errors are kept as the run's failure, the other sinks still close. */
    void closeSinks() {
        if (closed) {
            return;
        }
        closed = true;
        for (FrameSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                state.fail(e);
            }
        }
    }

    StageClock encodeClock() {
        return encodeClock;
    }

    StageClock decodeClock() {
        return decodeClock;
    }

    StageClock latencyClock() {
        return latencyClock;
    }

    @Override
    public void onShutdown() {
        closeSinks();
    }
}

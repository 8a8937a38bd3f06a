package dev.segment.engine.stages;

import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.internal.EvenPadder;
import dev.segment.engine.FrameReport;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.Flow;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;

/**
 * One preallocated ring-buffer entry: every buffer a frame needs on its way through the pipeline. Slots are created
 * once by the ring's factory and reused for the whole run; buffers grow only when a larger frame arrives. A slot is
 * filled before it is published ({@link FrameMailbox}) and the producer never touches it after; the Disruptor's
 * sequence barriers then hand it from stage to stage, so each field is touched by one thread at a time.
 */
public final class FrameSlot implements SegmentedFrame {
    VideoFrame input;
    final ScoreGrid scores = new ScoreGrid();
    private ByteBuffer labels = ByteBuffer.allocateDirect(1);
    private ByteBuffer overlay = ByteBuffer.allocateDirect(3);
    final long[] stageNanos = new long[FrameReport.Stage.values().length];
    /** CPU time of each stage's own thread on this frame (see {@link ThreadCpu}). */
    final long[] stageCpuNanos = new long[FrameReport.Stage.values().length];

    long index;
    boolean endOfStream;
    /** Set by the source thread when the stream restarted (reconnect, seek, new size): temporal state must reset. */
    boolean discontinuity;
    /** Nanotime when the frame was fully decoded (start of capture-to-output latency). */
    long capturedAtNanos;

    int crfIterations;
    boolean crfWarm;
    int crfWidth;
    int crfHeight;
    /** Set by the first stage: the frame's scores are the model's own (not carried from a keyframe). */
    boolean keyframe;
    /** Why the model ran on this frame, was asked to run, or why its scores were carried. */
    KeyframeReason reason = KeyframeReason.ALL;
    /** The luma histogram jumped: a new shot. Temporal state (the CRF's warm start) must not survive it. */
    boolean sceneCut;
    /** Motion back to the keyframe (frame pixels), its warp residual and untrusted share; NaN when not measured. */
    double motionX;

    double motionY;
    double residual;
    double untrusted;
    double change;
    /** The motion back to the keyframe, measured by the keyframe stage that chooses and read by the one that carries. */
    final Flow flow = new Flow();
    /**
     * Files: the model's run on this frame, when the choosing stage sent it to the model (null otherwise); the
     * carrying stage waits for it. The run writes {@link #scores} and its times below.
     */
    Future<?> modelRun;

    long modelNanos;
    long modelCpuNanos;
    /** Files: the choosing stage's own time and CPU on this frame, added to the propagation's by the carrying one. */
    long chooseNanos;

    long chooseCpuNanos;

    FrameSlot(int width, int height) {
        input = new VideoFrame(width, height);
    }

    /** Resets the per-frame state when the source hands a freshly decoded frame to this slot. */
    void prepare(long frameIndex, long decodeNanos, long decodeCpu, long capturedAt, boolean restarted) {
        index = frameIndex;
        endOfStream = false;
        discontinuity = restarted;
        crfIterations = 0;
        crfWarm = false;
        crfWidth = 0;
        crfHeight = 0;
        keyframe = false;
        reason = KeyframeReason.ALL;
        sceneCut = false;
        motionX = Double.NaN;
        motionY = Double.NaN;
        residual = Double.NaN;
        untrusted = Double.NaN;
        change = Double.NaN;
        modelRun = null;
        modelNanos = 0;
        modelCpuNanos = 0;
        chooseNanos = 0;
        chooseCpuNanos = 0;
        java.util.Arrays.fill(stageNanos, 0L);
        stageNanos[FrameReport.Stage.DECODE.ordinal()] = decodeNanos;
        java.util.Arrays.fill(stageCpuNanos, 0L);
        stageCpuNanos[FrameReport.Stage.DECODE.ordinal()] = decodeCpu;
        capturedAtNanos = capturedAt;
    }

    /** Labels sized for the current frame (grown if needed), position 0, limit w*h. */
    ByteBuffer labelsForWrite() {
        int n = input.width() * input.height();
        if (labels.capacity() < n) {
            labels = ByteBuffer.allocateDirect(n);
        }
        return labels.clear().limit(n);
    }

    ByteBuffer overlayForWrite() {
        int n = input.width() * input.height() * 3;
        if (overlay.capacity() < n + EvenPadder.TAIL) {
            overlay = ByteBuffer.allocateDirect(n + EvenPadder.TAIL); // the encoder's SIMD reads past the last pixel
        }
        return overlay.clear().limit(n);
    }

    @Override
    public long index() {
        return index;
    }

    @Override
    public long ptsMicros() {
        return input.ptsMicros();
    }

    @Override
    public int width() {
        return input.width();
    }

    @Override
    public int height() {
        return input.height();
    }

    @Override
    public VideoFrame input() {
        return input;
    }

    @Override
    public ByteBuffer overlay() {
        return overlay.duplicate().position(0).limit(input.width() * input.height() * 3);
    }

    @Override
    public ByteBuffer labels() {
        return labels.duplicate().position(0).limit(input.width() * input.height());
    }
}

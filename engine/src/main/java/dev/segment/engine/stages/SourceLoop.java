package dev.segment.engine.stages;

import com.lmax.disruptor.RingBuffer;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.engine.PipelineListener;
import java.util.concurrent.locks.LockSupport;

/**
 * The single producer: decodes frames into a private spare frame, then swaps it into a claimed ring slot (no pixel
 * copy). Two admission policies:
 * <ul>
 *   <li>blocking (files): waits for a free slot, so no frame is ever dropped;</li>
 *   <li>drop when full (live): never waits, and inference always starts on the newest frame. While the last frame
 *   published still waits for inference, each newer frame takes its place (the older one is dropped and counted):
 *   without that, the waiting frame aged by a whole inference time before its turn (README: median capture-to-output
 *   latency on the RTSP test stream 409 -> 152 ms). Otherwise, when {@code maxInFlight} frames are already in the
 *   pipeline (a later stage is the slow one) the frame just decoded is dropped and counted.</li>
 * </ul>
 * Always ends the stream with an end-of-stream marker, which the output stage turns into closing the sinks.
 */
final class SourceLoop implements Runnable {
    private static final long MIN_POLL_NANOS = 50_000;
    private static final long MAX_POLL_NANOS = 2_000_000;

    private final FrameSource source;
    private final RingBuffer<FrameSlot> ring;
    private final RunState state;
    private final PipelineListener listener;
    private final boolean dropWhenFull;
    private final int maxInFlight;
    private final long maxFrames;
    private VideoFrame spare;

    SourceLoop(
            FrameSource source,
            RingBuffer<FrameSlot> ring,
            RunState state,
            PipelineListener listener,
            boolean dropWhenFull,
            int maxInFlight,
            long maxFrames,
            int width,
            int height) {
        if (maxInFlight < 1 || maxInFlight > ring.getBufferSize()) {
            throw new IllegalArgumentException(
                    "maxInFlight must be between 1 and the ring size " + ring.getBufferSize() + ", got " + maxInFlight);
        }
        this.source = source;
        this.ring = ring;
        this.state = state;
        this.listener = listener;
        this.dropWhenFull = dropWhenFull;
        this.maxInFlight = maxInFlight;
        this.maxFrames = maxFrames;
        this.spare = new VideoFrame(width, height);
    }

    @Override
    public void run() {
        long index = 0;
        int epoch = 0;
        long waiting = -1; // the last sequence published, while inference may not have taken it (drop when full)
        try {
            while (!state.stopRequested() && (maxFrames < 0 || index < maxFrames)) {
                long t0 = System.nanoTime();
                boolean got;
                spare.setCaptureNanos(0); // sources that know the capture time stamp it; else decode time counts
                try {
                    got = source.read(spare);
                } catch (Exception e) {
                    if (state.stopRequested()) {
                        break; // stop() closed the source under a blocked read
                    }
                    throw e;
                }
                if (!got) {
                    break;
                }
                long decoded = System.nanoTime();
                state.framesIn.incrementAndGet();
                if (waiting >= 0) {
                    FrameSlot slot = ring.get(waiting);
                    if (slot.beginReplace()) {
                        replace(slot, decoded - t0, decoded);
                        epoch = slot.input.epoch();
                        slot.endReplace();
                        listener.onDrop(state.framesDropped.incrementAndGet());
                        continue;
                    }
                    waiting = -1; // inference has it
                }
                if (dropWhenFull && inFlight() >= maxInFlight) {
                    listener.onDrop(state.framesDropped.incrementAndGet());
                    continue; // keep the spare's audio: it belongs to the stream, not to the dropped picture
                }
                long seq = claim();
                if (seq < 0) {
                    break;
                }
                FrameSlot slot = ring.get(seq);
                VideoFrame free = slot.input;
                slot.input = spare;
                spare = free;
                spare.clearAudio();
                long captured = slot.input.captureNanos() != 0 ? slot.input.captureNanos() : decoded;
                slot.prepare(index++, decoded - t0, captured, slot.input.epoch() != epoch);
                epoch = slot.input.epoch();
                slot.markWaiting();
                ring.publish(seq);
                if (dropWhenFull) {
                    waiting = seq;
                }
            }
        } catch (Throwable t) {
            state.fail(t);
        } finally {
            publishEndOfStream();
        }
    }

    /**
     * Swaps the frame just decoded (the spare) into a published slot in place of its older frame, which becomes the
     * spare and is dropped. The slot keeps its index (output numbering has no gaps) and the older frame's audio, ahead
     * of the newer frame's; a restart flagged for the older frame stays flagged.
     */
    private void replace(FrameSlot slot, long decodeNanos, long decoded) {
        VideoFrame older = slot.input;
        VideoFrame newer = spare;
        boolean restarted = slot.discontinuity || newer.epoch() != older.epoch();
        if (older.audio().limit() > 0) {
            if (newer.audio().limit() > 0) {
                older.appendAudio(newer.audio(), newer.audioChannels(), newer.sampleRate());
            }
            newer.clearAudio();
            newer.appendAudio(older.audio(), older.audioChannels(), older.sampleRate());
        }
        older.clearAudio();
        slot.input = newer;
        spare = older;
        long captured = newer.captureNanos() != 0 ? newer.captureNanos() : decoded;
        slot.prepare(slot.index, decodeNanos, captured, restarted);
    }

    private long inFlight() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /**
     * Waits for a free slot without spinning a core: polls with a backoff from 50 us to 2 ms, so a producer waiting on
     * a 100 ms inference stage wakes a few dozen times a frame instead of thousands (each wake-up would take a core
     * from the stages). Gives up (returns -1) only if the run failed meanwhile.
     */
    private long claim() {
        long pause = MIN_POLL_NANOS;
        while (!ring.hasAvailableCapacity(1)) {
            if (state.failed()) {
                return -1;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
        }
        return ring.next();
    }

    /** The marker must get through even after a failure: the stages skip work then, so the ring keeps draining. */
    private void publishEndOfStream() {
        while (!ring.hasAvailableCapacity(1)) {
            LockSupport.parkNanos(MAX_POLL_NANOS);
        }
        long seq = ring.next();
        FrameSlot slot = ring.get(seq);
        slot.endOfStream = true;
        ring.publish(seq);
    }
}

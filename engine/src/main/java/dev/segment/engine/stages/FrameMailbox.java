package dev.segment.engine.stages;

import com.lmax.disruptor.RingBuffer;
import dev.segment.codecs.VideoFrame;
import dev.segment.engine.PipelineListener;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer's side of the ring. The source reads each frame into a frame of its own and hands it over here; it is
 * published by swapping it into a claimed slot (no pixel copy), and the slot's older frame comes back to the source.
 * Once published, a slot belongs to the stages: nothing here touches it again. Two admission policies:
 *
 * <ul>
 *   <li>blocking (files): waits for a free slot, so no frame is ever dropped;
 *   <li>drop when full (live): never waits. A frame that finds the ring full stays in a one-slot mailbox in front of
 *       it, where a newer frame replaces it (the older one is dropped and counted; its audio goes on with the newer
 *       one); when room appears, the mailbox's frame is published. The ring is full while the first stage has not
 *       finished every frame published, or {@code maxInFlight} frames are inside the pipeline (a later stage is the
 *       slow one). So inference always starts on the newest frame there is: a frame waiting inside the ring aged by a
 *       whole inference time before its turn (README: median capture-to-output latency on the RTSP test stream 409 ->
 *       152 ms). Room appears when the first stage finishes a frame ({@link #firstStageDone}, which then publishes
 *       the mailbox's frame from that stage's thread) or when a later stage frees a slot (noticed at the source's next
 *       frame, which replaces the mailbox's).
 * </ul>
 *
 * Every publication happens under this object's lock: with dropping, the source and the first stage both publish (the
 * ring is then a multi-producer one).
 */
final class FrameMailbox {
    private static final long MIN_POLL_NANOS = 50_000;
    private static final long MAX_POLL_NANOS = 2_000_000;

    private final RingBuffer<FrameSlot> ring;
    private final RunState state;
    private final PipelineListener listener;
    private final boolean dropWhenFull;
    private final int maxInFlight;
    private final long maxFrames;

    // Guarded by this.
    /** The mailbox's own frame: the one waiting to be published when {@link #waiting}, else a spare. */
    private VideoFrame held;

    private boolean waiting;
    private long heldDecodeNanos;
    private long heldDecodeCpu;
    private long heldCapturedAt;
    private boolean heldRestarted;
    /** The epoch of the last frame handed over: a frame of another epoch starts after a restart. */
    private int epoch;
    /** Frames published so far: the next one's index. */
    private long published;
    /** The last sequence the first stage has finished. */
    private long firstStageDone = -1;

    /**
     * @param maxInFlight with dropping: frames allowed inside the pipeline at once (1 to the ring size)
     * @param maxFrames   frames to publish at most (-1: no limit)
     * @param width       size of the mailbox's frame (it grows with the frames)
     */
    FrameMailbox(
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
        this.ring = ring;
        this.state = state;
        this.listener = listener;
        this.dropWhenFull = dropWhenFull;
        this.maxInFlight = maxInFlight;
        this.maxFrames = maxFrames;
        this.held = new VideoFrame(width, height);
    }

    /**
     * The source hands over a decoded frame. Returns the frame to read the next one into: the source's own from then
     * on (its audio cleared). Blocking: returns once the frame is published, or unpublished if the run failed
     * meanwhile.
     *
     * @param decodeNanos how long reading it took
     * @param decodeCpu   the CPU time reading it took on the source's thread
     * @param decodedAt   nanotime when it was decoded (its capture time unless the source stamped one)
     */
    VideoFrame offer(VideoFrame frame, long decodeNanos, long decodeCpu, long decodedAt) {
        long capturedAt = frame.captureNanos() != 0 ? frame.captureNanos() : decodedAt;
        if (!dropWhenFull) {
            long seq = claim();
            if (seq < 0) {
                return frame;
            }
            synchronized (this) {
                return publish(seq, frame, decodeNanos, decodeCpu, capturedAt, restarted(frame));
            }
        }
        boolean dropped;
        VideoFrame back;
        synchronized (this) {
            boolean restarted = restarted(frame);
            dropped = waiting;
            if (waiting) {
                restarted |= heldRestarted; // a restart flagged for the dropped frame stays flagged
                keepAudio(held, frame);
            }
            back = held;
            held = frame;
            waiting = true;
            heldDecodeNanos = decodeNanos;
            heldDecodeCpu = decodeCpu;
            heldCapturedAt = capturedAt;
            heldRestarted = restarted;
            publishIfRoom();
        }
        if (dropped) {
            listener.onDrop(state.framesDropped.incrementAndGet());
        }
        return back;
    }

    /** The first stage has finished the frame at {@code sequence}: the mailbox's frame goes in if there is room now. */
    void firstStageDone(long sequence) {
        if (!dropWhenFull) {
            return;
        }
        synchronized (this) {
            firstStageDone = sequence;
            publishIfRoom();
        }
    }

    /** Frames published so far. */
    synchronized long published() {
        return published;
    }

    /**
     * The source, at its end: the frame still in the mailbox is published (waiting for a free slot), or dropped and
     * counted if the run failed or has all its frames; then the end-of-stream marker, which must get through even
     * after a failure (the stages skip work then, so the ring keeps draining).
     */
    void endOfStream() {
        boolean dropped = false;
        while (dropWhenFull) {
            synchronized (this) {
                if (!waiting) {
                    break;
                }
                if (state.failed() || (maxFrames >= 0 && published >= maxFrames)) {
                    waiting = false;
                    held.clearAudio();
                    dropped = true;
                    break;
                }
                if (ring.hasAvailableCapacity(1)) {
                    publishHeld();
                    break;
                }
            }
            LockSupport.parkNanos(MAX_POLL_NANOS);
        }
        if (dropped) {
            listener.onDrop(state.framesDropped.incrementAndGet());
        }
        while (!ring.hasAvailableCapacity(1)) {
            LockSupport.parkNanos(MAX_POLL_NANOS);
        }
        synchronized (this) {
            long seq = ring.next();
            ring.get(seq).endOfStream = true;
            ring.publish(seq);
        }
    }

    private boolean restarted(VideoFrame frame) {
        boolean restarted = frame.epoch() != epoch;
        epoch = frame.epoch();
        return restarted;
    }

    /** With dropping: publishes the waiting frame if the first stage is idle and the pipeline has room. */
    private void publishIfRoom() {
        if (!waiting) {
            return;
        }
        boolean room = ring.getCursor() <= firstStageDone
                && ring.getBufferSize() - ring.remainingCapacity() < maxInFlight
                && (maxFrames < 0 || published < maxFrames);
        if (room) {
            publishHeld();
        }
    }

    /** Publishes the frame waiting in the mailbox; the mailbox is then empty. */
    private void publishHeld() {
        held = publish(ring.next(), held, heldDecodeNanos, heldDecodeCpu, heldCapturedAt, heldRestarted);
        waiting = false;
    }

    /** Swaps {@code frame} into the claimed slot, publishes it, and returns the slot's older frame (audio cleared). */
    private VideoFrame publish(
            long seq, VideoFrame frame, long decodeNanos, long decodeCpu, long capturedAt, boolean restarted) {
        FrameSlot slot = ring.get(seq);
        VideoFrame free = slot.input;
        slot.input = frame;
        slot.prepare(published++, decodeNanos, decodeCpu, capturedAt, restarted);
        ring.publish(seq);
        free.clearAudio();
        return free;
    }

    /**
     * The dropped frame's audio is not dropped: it goes ahead of the newer frame's, which carries both on. Clears the
     * older frame's audio.
     */
    private static void keepAudio(VideoFrame older, VideoFrame newer) {
        if (older.audio().limit() > 0) {
            if (newer.audio().limit() > 0) {
                older.appendAudio(newer.audio(), newer.audioChannels(), newer.sampleRate());
            }
            newer.clearAudio();
            newer.appendAudio(older.audio(), older.audioChannels(), older.sampleRate());
        }
        older.clearAudio();
    }

    /**
     * Blocking: waits for a free slot without spinning a core: polls with a backoff from 50 us to 2 ms, so a producer
     * waiting on a 100 ms inference stage wakes a few dozen times a frame instead of thousands (each wake-up would take
     * a core from the stages). Gives up (returns -1) only if the run failed meanwhile.
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
}

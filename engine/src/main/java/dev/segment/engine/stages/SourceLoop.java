package dev.segment.engine.stages;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;

/**
 * The single reader of the source: decodes each frame into a frame of its own and hands it to the {@link FrameMailbox}
 * (which publishes it to the ring, waits for room, or keeps it as the newest frame waiting). Always ends the stream
 * with an end-of-stream marker, which the output stage turns into closing the sinks.
 */
final class SourceLoop implements Runnable {
    private final FrameSource source;
    private final FrameMailbox mailbox;
    private final RunState state;
    private final long maxFrames;
    private VideoFrame frame;

    /** @param maxFrames frames to publish at most (-1: until the source ends) */
    SourceLoop(FrameSource source, FrameMailbox mailbox, RunState state, long maxFrames, int width, int height) {
        this.source = source;
        this.mailbox = mailbox;
        this.state = state;
        this.maxFrames = maxFrames;
        this.frame = new VideoFrame(width, height);
    }

    @Override
    public void run() {
        try {
            while (!state.stopRequested() && (maxFrames < 0 || mailbox.published() < maxFrames)) {
                long t0 = System.nanoTime();
                long cpu0 = ThreadCpu.now();
                boolean got;
                frame.setCaptureNanos(0); // sources that know the capture time stamp it; else decode time counts
                try {
                    got = source.read(frame);
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
                frame = mailbox.offer(frame, decoded - t0, ThreadCpu.now() - cpu0, decoded);
            }
        } catch (Throwable t) {
            state.fail(t);
        } finally {
            mailbox.endOfStream();
        }
    }
}

package dev.segment.engine.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.segment.codecs.VideoFrame;
import dev.segment.engine.PipelineListener;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameMailboxTest {
    private final RingBuffer<FrameSlot> ring = RingBuffer.createMultiProducer(() -> new FrameSlot(4, 2), 4);
    /** The last stage: no frame is written during these tests, so whatever is published stays inside. */
    private final Sequence written = new Sequence(-1);

    private final RunState state = new RunState();
    private final List<Long> drops = new ArrayList<>();
    private final PipelineListener listener = new PipelineListener() {
        @Override
        public void onDrop(long totalDrops) {
            drops.add(totalDrops);
        }
    };

    FrameMailboxTest() {
        ring.addGatingSequences(written);
    }

    @Test
    void aFrameThatFindsTheFirstStageBusyWaitsAndTheNewestWins() {
        FrameMailbox mailbox = new FrameMailbox(ring, state, listener, true, 3, -1, 4, 2);
        VideoFrame own = new VideoFrame(4, 2);

        own = mailbox.offer(numbered(own, 1), 0, 0, 1);
        assertEquals(0, ring.getCursor(), "an idle first stage gets the frame at once");
        VideoFrame first = ring.get(0).input;
        assertEquals(1, numberOf(first));

        List<VideoFrame> returned = new ArrayList<>();
        for (int n = 2; n <= 5; n++) {
            own = mailbox.offer(numbered(own, n), 0, 0, n);
            returned.add(own);
        }
        assertEquals(0, ring.getCursor(), "nothing more is published while the first stage works");
        assertEquals(3, state.framesDropped.get(), "frames 2, 3 and 4 were replaced by a newer one");
        assertEquals(List.of(1L, 2L, 3L), drops);
        assertSame(first, ring.get(0).input, "the published slot keeps its frame");
        assertEquals(1, numberOf(first), "and its pixels");
        for (VideoFrame f : returned) {
            assertNotSame(first, f, "the source never gets a published frame back");
        }

        mailbox.firstStageDone(0);
        assertEquals(1, ring.getCursor(), "the first stage finished: the waiting frame goes in");
        assertEquals(5, numberOf(ring.get(1).input), "the newest frame");
        assertEquals(1, ring.get(1).index, "numbered without gaps");
        assertSame(first, ring.get(0).input);
        assertEquals(1, numberOf(first));
        assertNotSame(ring.get(1).input, own);

        mailbox.firstStageDone(1);
        assertEquals(1, ring.getCursor(), "an empty mailbox publishes nothing");
        assertEquals(3, state.framesDropped.get());
    }

    @Test
    void aFullPipelineHoldsTheFrameUntilTheSourcesNextFrameFindsRoom() {
        FrameMailbox mailbox = new FrameMailbox(ring, state, listener, true, 2, -1, 4, 2);
        VideoFrame own = new VideoFrame(4, 2);
        own = mailbox.offer(numbered(own, 1), 0, 0, 1);
        mailbox.firstStageDone(0);
        own = mailbox.offer(numbered(own, 2), 0, 0, 2);
        mailbox.firstStageDone(1);
        assertEquals(1, ring.getCursor(), "two frames inside: the most allowed");

        own = mailbox.offer(numbered(own, 3), 0, 0, 3);
        assertEquals(1, ring.getCursor(), "a later stage is the slow one: the frame waits");
        written.set(0); // frame 1 written: room again
        own = mailbox.offer(numbered(own, 4), 0, 0, 4);
        assertEquals(2, ring.getCursor());
        assertEquals(4, numberOf(ring.get(2).input), "the newest frame, not the one that waited");
        assertEquals(2, ring.get(2).index);
        assertEquals(1, state.framesDropped.get());
        assertEquals(1, numberOf(ring.get(0).input));
        assertEquals(2, numberOf(ring.get(1).input));
    }

    @Test
    void aDroppedFramesAudioAndRestartGoOnWithTheNewerFrame() {
        FrameMailbox mailbox = new FrameMailbox(ring, state, listener, true, 3, -1, 4, 2);
        VideoFrame own = new VideoFrame(4, 2);
        own = mailbox.offer(numbered(own, 1), 0, 0, 1);
        numbered(own, 2).appendAudio(ShortBuffer.wrap(new short[] {2, 2}), 1, 8000);
        own.setEpoch(1); // frame 2 comes after a reconnect
        own = mailbox.offer(own, 0, 0, 2);
        numbered(own, 3).appendAudio(ShortBuffer.wrap(new short[] {3}), 1, 8000);
        own.setEpoch(1);
        VideoFrame back = mailbox.offer(own, 0, 0, 3);
        assertEquals(0, back.audio().limit(), "the source's next frame starts without audio");
        mailbox.firstStageDone(0);

        FrameSlot slot = ring.get(1);
        assertEquals(3, numberOf(slot.input));
        assertTrue(slot.discontinuity, "the restart flagged for the dropped frame stays flagged");
        ShortBuffer audio = slot.input.audio();
        assertEquals(3, audio.limit());
        assertEquals(List.of((short) 2, (short) 2, (short) 3), List.of(audio.get(0), audio.get(1), audio.get(2)));
    }

    @Test
    void theFrameLeftInTheMailboxIsPublishedBeforeTheEndOfStream() {
        FrameMailbox mailbox = new FrameMailbox(ring, state, listener, true, 3, -1, 4, 2);
        VideoFrame own = new VideoFrame(4, 2);
        own = mailbox.offer(numbered(own, 1), 0, 0, 1);
        mailbox.offer(numbered(own, 2), 0, 0, 2);

        mailbox.endOfStream();
        assertEquals(2, ring.getCursor());
        assertEquals(2, numberOf(ring.get(1).input));
        assertFalse(ring.get(1).endOfStream);
        assertTrue(ring.get(2).endOfStream);
        assertEquals(0, state.framesDropped.get(), "every frame read is written");
    }

    @Test
    void filesWaitForRoomAndNeverDrop() {
        FrameMailbox mailbox = new FrameMailbox(ring, state, listener, false, 4, -1, 4, 2);
        VideoFrame own = new VideoFrame(4, 2);
        for (int n = 1; n <= 4; n++) {
            own = mailbox.offer(numbered(own, n), 0, 0, n);
        }
        assertEquals(3, ring.getCursor(), "published without waiting for the first stage");
        for (int n = 1; n <= 4; n++) {
            assertEquals(n, numberOf(ring.get(n - 1).input));
        }
        assertEquals(0, state.framesDropped.get());
    }

    private static VideoFrame numbered(VideoFrame frame, int n) {
        frame.resize(4, 2).put(0, (byte) n);
        return frame;
    }

    private static int numberOf(VideoFrame frame) {
        return frame.rgb().get(0);
    }
}

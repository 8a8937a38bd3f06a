package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Ffmpeg;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@SystemTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopingSourceTest {
    private static final int CLIP_FRAMES = 12;
    private static final long FRAME_MICROS = 40_000;

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = Ffmpeg.testClip(dir, "clip.mp4", 64, 48, 25, CLIP_FRAMES);
    }

    /** Counts the inner sources opened and closed, to check that each play's source is closed before the next. */
    private static final class Counting implements LoopingSource.Factory {
        final AtomicInteger made = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();

        @Override
        public FrameSource create() {
            made.incrementAndGet();
            FfmpegSource inner = new FfmpegSource(clip);
            return new FrameSource() {
                private boolean closed;

                @Override
                public VideoInfo open() throws IOException {
                    VideoInfo info = inner.open();
                    open.incrementAndGet();
                    return info;
                }

                @Override
                public boolean read(VideoFrame frame) throws IOException {
                    return inner.read(frame);
                }

                @Override
                public synchronized void close() {
                    if (!closed) {
                        closed = true;
                        open.decrementAndGet();
                    }
                    inner.close();
                }
            };
        }
    }

    @Test
    void shouldPlayTheClipNTimesWithIncreasingPtsAndOneEpochPerPlay() throws Exception {
        Counting factory = new Counting();
        List<Long> pts = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        try (LoopingSource source = new LoopingSource(factory, 3)) {
            VideoInfo info = source.open();
            assertEquals(3L * CLIP_FRAMES, info.frameCount());
            assertTrue(info.description().contains("played 3 times"), info.description());
            VideoFrame frame = new VideoFrame(64, 48);
            while (source.read(frame)) {
                pts.add(frame.ptsMicros());
                epochs.add(frame.epoch());
                assertTrue(factory.open.get() <= 1, "more than one inner source open at once");
            }
            assertEquals(2, source.restarts());
            assertFalse(source.read(frame), "stays ended");
        }
        assertEquals(3 * CLIP_FRAMES, pts.size());
        assertEquals(3, factory.made.get());
        assertEquals(0, factory.open.get(), "every inner source is closed");
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i) > pts.get(i - 1), "pts go back at frame " + i + ": " + pts);
        }
        for (int play = 0; play < 3; play++) {
            for (int i = 0; i < CLIP_FRAMES; i++) {
                assertEquals(play, epochs.get(play * CLIP_FRAMES + i), "epoch of frame " + i + " of play " + play);
            }
        }
        // the next play starts one frame interval after the previous play's last frame
        assertEquals(pts.get(CLIP_FRAMES - 1) + FRAME_MICROS, pts.get(CLIP_FRAMES));
        assertEquals(pts.get(2 * CLIP_FRAMES - 1) + FRAME_MICROS, pts.get(2 * CLIP_FRAMES));
        assertEquals(
                pts.get(CLIP_FRAMES) + pts.get(CLIP_FRAMES - 1) - pts.get(0),
                pts.get(2 * CLIP_FRAMES - 1),
                "a play keeps its own spacing");
    }

    @Test
    void shouldLoopForeverUntilClosedFromAnotherThread() throws Exception {
        Counting factory = new Counting();
        LoopingSource source = new LoopingSource(factory, LoopingSource.FOREVER);
        assertEquals(-1, source.open().frameCount());
        VideoFrame frame = new VideoFrame(64, 48);
        int target = 10 * CLIP_FRAMES + 5;
        for (int i = 0; i < target; i++) {
            assertTrue(source.read(frame), "frame " + i);
        }
        assertEquals(10, frame.epoch());
        Thread closer = new Thread(() -> {
            try {
                source.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closer.start();
        closer.join();
        assertFalse(source.read(frame), "a closed source ends");
        source.close();
        assertEquals(0, factory.open.get(), "the inner source is closed");
        assertEquals(target, source.framesRead());
    }

    @Test
    void shouldReportAFileThatCannotBeOpenedAndLeaveNothingOpen() {
        LoopingSource source = new LoopingSource(dir.resolve("missing.mp4"), SourceOptions.forFile(), 2);
        SourceException e = assertThrows(SourceException.class, source::open);
        assertTrue(e.getMessage().contains("missing.mp4"), e.getMessage());
    }

    @Test
    void shouldRejectBadArguments() {
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> new LoopingSource(clip, SourceOptions.forFile(), 0));
        assertTrue(zero.getMessage().contains("plays must be at least 1"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LoopingSource(clip, null, 1));
        assertThrows(NullPointerException.class, () -> new LoopingSource((LoopingSource.Factory) null, 1));
        LoopingSource unopened = new LoopingSource(clip, SourceOptions.forFile(), 1);
        assertThrows(IllegalStateException.class, () -> unopened.read(new VideoFrame(8, 8)));
    }
}

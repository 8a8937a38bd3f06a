package dev.segment.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.support.ConstantSegmenter;
import dev.segment.engine.support.SyntheticSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TruthSinkTest {
    private static final int W = 8;
    private static final int H = 4;

    @TempDir
    Path dir;

    /** A grey mask: class {@code object} in columns below {@code split}, background elsewhere. */
    private static void writeMask(Path file, int object, int split) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, x < split ? object : 0);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void scoresEveryFrameOfARealPipelineAgainstItsNumberedMask() throws Exception {
        // the segmenter labels every pixel 7; frame k's truth has class 7 in the first k+1 columns of 8
        for (int k = 0; k < 6; k++) {
            writeMask(dir.resolve(String.format("%05d.png", k)), 7, k + 1);
        }
        Files.writeString(dir.resolve("notes.txt"), "not a mask");
        TruthMasks truth = TruthMasks.open(dir);
        assertTrue(truth.layout().contains("named by frame number"), truth.layout());
        VideoScore score = new VideoScore(21, 7);
        TruthSink sink = new TruthSink(truth, 0, score);
        PipelineSummary s = Pipeline.builder()
                .source(new SyntheticSource(W, H, 6, false, 0))
                .sink(sink)
                .segmenter((w, h) -> new ConstantSegmenter(7, 0))
                .start()
                .await();
        assertNull(s.failure());
        assertEquals(6, sink.frames());
        double iou = 0;
        for (int k = 0; k < 6; k++) {
            iou += (k + 1) / 8.0;
        }
        assertEquals(iou / 6, score.objectIou(), 1e-12);
        assertEquals(0, score.flicker(), 1e-12, "constant labels do not flicker");
        assertEquals(1.0 / 8, score.truthFlicker(), 1e-12, "the truth grows by one column of 8 a frame");
    }

    @Test
    void startsAtTheFirstFrameAndFailsNamingAMissingMask() throws Exception {
        for (int k : new int[] {3, 4}) {
            writeMask(dir.resolve(String.format("%05d.png", k)), 15, 4);
        }
        TruthSink sink = new TruthSink(TruthMasks.open(dir), 3, new VideoScore(21, 15));
        PipelineSummary s = Pipeline.builder()
                .source(new SyntheticSource(W, H, 3, false, 0))
                .sink(sink)
                .segmenter((w, h) -> new ConstantSegmenter(15, 0))
                .start()
                .await();
        assertTrue(s.failure() instanceof NoSuchFileException, String.valueOf(s.failure()));
        assertTrue(
                s.failure().getMessage().contains(dir.toString())
                        && s.failure().getMessage().contains("frame 5"),
                s.failure().getMessage());
        assertEquals(2, sink.frames(), "clip frames 3 and 4 were scored");
        assertEquals(0.5, sink.score().objectIou(), 1e-12);
    }

    @Test
    void failsLoudlyWhenAFrameIsMissingFromTheSequence() throws Exception {
        TruthSink sink = new TruthSink(null, 0, new VideoScore(21, -1));
        sink.open(new VideoInfo(W, H, 25, 3, 0, 0, false, "test"));
        sink.write(frame(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.write(frame(2)));
        assertTrue(e.getMessage().contains("got output frame 2 where frame 1 was due"), e.getMessage());
        sink.close();
        sink.close();
    }

    @Test
    void withoutNumberedNamesTheKthPngInNameOrderIsFrameK() throws Exception {
        writeMask(dir.resolve("b.png"), 15, 2);
        writeMask(dir.resolve("a.png"), 15, 1);
        TruthMasks truth = TruthMasks.open(dir);
        assertEquals(dir.resolve("a.png"), truth.file(0));
        assertEquals(dir.resolve("b.png"), truth.file(1));
        assertNull(truth.file(2));
        byte[] mask = truth.read(1, W, H);
        assertEquals(15, mask[1]);
        assertEquals(0, mask[2]);
        IOException size = assertThrows(IOException.class, () -> truth.read(0, W + 1, H));
        assertTrue(size.getMessage().contains("a.png") && size.getMessage().contains("8x4"), size.getMessage());
        assertEquals(java.util.Set.of(0, 15), truth.classesIn(0));
        assertEquals(2, truth.preload(0, 5, W, H, 1 << 20));
        assertArrayEquals(mask, truth.read(1, W, H));
    }

    @Test
    void asShownADroppedFrameIsScoredAgainstTheFrameOnScreen() throws Exception {
        // six clip frames at 25 fps; truth: class 7 in the first k+1 columns of frame k. Frames 2, 3 and 5 are dropped:
        // the viewer sees frame 1's labels during 2 and 3, and frame 4's during 5.
        for (int k = 0; k < 6; k++) {
            writeMask(dir.resolve(String.format("%05d.png", k)), 7, k + 1);
        }
        VideoScore score = new VideoScore(21, 7);
        TruthSink sink = TruthSink.asShown(TruthMasks.open(dir), 0, score);
        sink.open(new VideoInfo(W, H, 25, 6, 0, 0, true, "test"));
        // output frames numbered without gaps; their timestamps place them at clip frames 0, 1 and 4; the labels of
        // each are class 7 in its own truth's columns
        sink.write(frame(0, 0, 1));
        sink.write(frame(1, 1, 2));
        sink.write(frame(2, 4, 5));
        sink.finish(6);
        assertEquals(6, sink.frames(), "every clip frame scored");
        assertEquals(3, sink.framesOut());
        // IoU per clip frame k of labels drawn for frame j: min(j,k)+1 / max(j,k)+1 columns
        double expected = (1.0 + 1.0 + 2.0 / 3 + 2.0 / 4 + 1.0 + 5.0 / 6) / 6;
        assertEquals(expected, score.objectIou(), 1e-12);
        sink.close();
    }

    @Test
    void asShownRefusesFramesOutOfOrder() throws Exception {
        TruthSink sink = TruthSink.asShown(null, 0, new VideoScore(21, -1));
        sink.open(new VideoInfo(W, H, 25, 3, 0, 0, true, "test"));
        sink.write(frame(0, 0, 1));
        sink.write(frame(1, 2, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.write(frame(2, 1, 1)));
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }

    /** Output frame {@code index}, stamped as clip frame {@code clipFrame}, labelled 7 in its first {@code cols}. */
    private static SegmentedFrame frame(long index, long clipFrame, int cols) {
        ByteBuffer labels = ByteBuffer.allocateDirect(W * H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                labels.put(y * W + x, (byte) (x < cols ? 7 : 0));
            }
        }
        return frame(index, clipFrame * 40_000, labels);
    }

    private static SegmentedFrame frame(long index) {
        return frame(index, index * 40_000, ByteBuffer.allocateDirect(W * H));
    }

    private static SegmentedFrame frame(long index, long pts, ByteBuffer labels) {
        return new SegmentedFrame() {
            @Override
            public long index() {
                return index;
            }

            @Override
            public long ptsMicros() {
                return pts;
            }

            @Override
            public int width() {
                return W;
            }

            @Override
            public int height() {
                return H;
            }

            @Override
            public VideoFrame input() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ByteBuffer overlay() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ByteBuffer labels() {
                return labels;
            }
        };
    }
}

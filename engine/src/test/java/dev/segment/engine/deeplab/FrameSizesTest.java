package dev.segment.engine.deeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.ModelTest;
import dev.segment.testing.SystemTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames of any size and shape give outputs of the requested size; nothing native leaks per frame. */
@ModelTest
@SystemTest
class FrameSizesTest {

    private static final float SENTINEL = -12345f;
    private static DeepLabModel model;

    @BeforeAll
    static void load() throws ModelException {
        model = DeepLabModel.shared(TestData.model());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest(name = "{0}x{1} via ffmpeg {2}, output {3}x{4}, unpadded {7}")
    @CsvSource({
        "64, 48, scale=64:48, 64, 48, 64, 48, true",
        "64, 48, scale=64:48, 64, 48, 64, 48, false",
        "1920, 1080, scale=1920:1080, 1920, 1080, 513, 289, true",
        "1920, 1080, scale=1920:1080, 480, 270, 513, 289, false",
        "432, 768, transpose=1, 432, 768, 289, 513, true",
        "7680, 4320, scale=7680:4320, 960, 540, 513, 289, true"
    })
    void anyFrameSizeGivesOutputsOfTheRequestedSize(
            int width,
            int height,
            String filter,
            int outWidth,
            int outHeight,
            int inputWidth,
            int inputHeight,
            boolean unpadded)
            throws Exception {
        TestData.Frame frame = TestData.videoFrame(TestData.video(), 60, filter, width, height);
        int pixels = outWidth * outHeight;
        FloatBuffer logits = ByteBuffer.allocateDirect((pixels * 21 + 1) * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        logits.put(pixels * 21, SENTINEL);
        ByteBuffer labels = ByteBuffer.allocateDirect(pixels + 1).put(pixels, (byte) 99);
        try (Segmenter segmenter = model.segmenter(width, height, outWidth, outHeight, unpadded)) {
            assertEquals(unpadded, segmenter.unpadded(), "fallback reason: " + segmenter.paddedReason());
            assertEquals(inputWidth, segmenter.inputWidth());
            assertEquals(inputHeight, segmenter.inputHeight());
            segmenter.segment(frame.rgb(), logits, labels);
        }
        assertEquals(SENTINEL, logits.get(pixels * 21), "nothing written past the output");
        assertEquals(99, labels.get(pixels), "nothing written past the output");
        int[] histogram = new int[256];
        for (int i = 0; i < pixels; i++) {
            int label = labels.get(i);
            histogram[label & 0xff]++;
            int best = 0;
            for (int c = 1; c < 21; c++) {
                if (logits.get(i * 21 + c) > logits.get(i * 21 + best)) {
                    best = c;
                }
            }
            assertEquals(best, label, "label is the argmax at pixel " + i);
        }
        System.out.printf(
                "%dx%d -> %dx%d (%s): background %d, person %d of %d pixels%n",
                width,
                height,
                outWidth,
                outHeight,
                unpadded ? "unpadded" : "padded",
                histogram[0],
                histogram[15],
                pixels);
        assertTrue(histogram[0] > pixels / 2, "mostly background (walls and floor)");
    }

    @Test
    void downscaledFullHdFrameAgreesWithTheSameFrameAtItsOwnSize() throws Exception {
        TestData.Frame small = TestData.videoFrame(TestData.video(), 60, 768, 432);
        TestData.Frame large = TestData.videoFrame(TestData.video(), 60, "scale=1920:1080", 1920, 1080);
        ByteBuffer a = ByteBuffer.allocateDirect(768 * 432);
        ByteBuffer b = ByteBuffer.allocateDirect(768 * 432);
        try (Segmenter s = model.segmenter(768, 432, false);
                Segmenter l = model.segmenter(1920, 1080, 768, 432, false)) {
            s.segment(small.rgb(), null, a);
            l.segment(large.rgb(), null, b);
        }
        double agreement = TestData.agreement(TestData.bytes(a), TestData.bytes(b));
        System.out.printf(
                "1920x1080 (area-resized to 513x289) vs 768x432 frame: labels agree on %.3f%%%n", 100 * agreement);
        assertTrue(agreement > 0.98, "agreement " + agreement);
    }

    @Test
    void wrongBuffersAreRejectedWithTheSizesNeeded() {
        try (Segmenter segmenter = model.segmenter(64, 48, false)) {
            IllegalArgumentException small = assertThrows(
                    IllegalArgumentException.class,
                    () -> segmenter.segment(ByteBuffer.allocate(100), null, ByteBuffer.allocate(64 * 48)));
            assertTrue(small.getMessage().contains("9216"), small.getMessage());
            IllegalArgumentException none = assertThrows(
                    IllegalArgumentException.class,
                    () -> segmenter.segment(ByteBuffer.allocate(64 * 48 * 3), null, null));
            assertTrue(none.getMessage().contains("both null"), none.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> model.segmenter(0, 48, true));
    }

    /**
     * Every run closes its Result and output tensor: the count of live JavaCPP pointers (TF Java registers each
     * tensor's deallocator with JavaCPP) does not grow over many frames.
     */
    @Test
    void runsDoNotAccumulateNativeTensors() {
        ByteBuffer rgb = ByteBuffer.allocateDirect(320 * 240 * 3);
        ByteBuffer labels = ByteBuffer.allocateDirect(320 * 240);
        for (boolean unpadded : new boolean[] {false, true}) {
            try (Segmenter segmenter = model.segmenter(320, 240, unpadded)) {
                segmenter.segment(rgb, null, labels);
                long before = Pointer.totalCount();
                long bytesBefore = Pointer.totalBytes();
                for (int i = 0; i < 25; i++) {
                    segmenter.segment(rgb, null, labels);
                }
                long after = Pointer.totalCount();
                System.out.printf(
                        "unpadded %b: JavaCPP pointers %d -> %d, bytes %d -> %d over 25 runs%n",
                        unpadded, before, after, bytesBefore, Pointer.totalBytes());
                assertTrue(after - before < 5, "live pointers grew from " + before + " to " + after);
            }
        }
    }
}

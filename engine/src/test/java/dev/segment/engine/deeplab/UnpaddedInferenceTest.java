package dev.segment.engine.deeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.ModelTest;
import dev.segment.testing.SystemTest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The size-specialised graph gives the padded graph's labels on real frames, faster (printed, not asserted).
 *
 * <p>They are not identical by design: the image-pooling branch then averages over the image instead of image +
 * padding. On most frames that moves well under 1% of the labels; on the video around 105-115 s (one person close to
 * the camera, 44% of the padded crop is padding) it drops about half of the person pixels to background (95.0%
 * agreement at 110 s). Feeding the padded graph's pooled vector into the unpadded graph restores 99.9%, so the
 * divergence is the pooling alone, not the rewrite (the rewrite reproduces the padded logits exactly at 513x513).
 */
@ModelTest
@SystemTest
class UnpaddedInferenceTest {

    private static DeepLabModel model;

    @BeforeAll
    static void load() throws ModelException {
        model = DeepLabModel.load(TestData.model());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void unpaddedLabelsAgreeWithPaddedOnVideoFrames() throws Exception {
        double[][] secondsAndMinimum = {{15, 0.99}, {60, 0.99}, {110, 0.93}}; // 110 s: see the class comment
        try (Segmenter padded = model.segmenter(768, 432, false);
                Segmenter unpadded = model.segmenter(768, 432, true)) {
            assertTrue(unpadded.unpadded(), "reason: " + unpadded.paddedReason());
            assertFalse(padded.unpadded());
            assertEquals(513, unpadded.inputWidth());
            assertEquals(289, unpadded.inputHeight());
            for (double[] sample : secondsAndMinimum) {
                TestData.Frame frame = TestData.videoFrame(TestData.video(), sample[0], 768, 432);
                compare("video 768x432 at " + sample[0] + " s", frame, padded, unpadded, sample[1]);
            }
        }
    }

    @Test
    void unpaddedLabelsAgreeWithPaddedOnImages() throws Exception {
        for (String image : new String[] {
            "images/deeplab_image3_person_horse.jpg",
            "images/deeplab_image1_person_bicycle.jpg",
            "images/camerablur_Image1_person.jpg",
            "voc/JPEGImages/2007_000033.jpg"
        }) {
            TestData.Frame frame = TestData.readRgb(TestData.image(image));
            try (Segmenter padded = model.segmenter(frame.width(), frame.height(), false);
                    Segmenter unpadded = model.segmenter(frame.width(), frame.height(), true)) {
                assertTrue(unpadded.unpadded(), "reason: " + unpadded.paddedReason());
                compare(
                        image + " " + frame.width() + "x" + frame.height() + " (model input " + unpadded.inputWidth()
                                + "x" + unpadded.inputHeight() + ")",
                        frame,
                        padded,
                        unpadded,
                        0.98);
            }
        }
    }

    @Test
    void graphWithoutTheExpectedPoolingFallsBackToPaddedWithTheReason(@TempDir Path dir) throws Exception {
        GraphDef.Builder def = GraphDef.parseFrom(Files.readAllBytes(TestData.model())).toBuilder();
        for (int i = 0; i < def.getNodeCount(); i++) {
            NodeDef node = def.getNode(i);
            if (node.getOp().equals("AvgPool")) { // a 33x33 window: still runs padded, not the structure we rewrite
                def.setNode(
                        i,
                        node.toBuilder()
                                .putAttr(
                                        "ksize",
                                        AttrValue.newBuilder()
                                                .setList(AttrValue.ListValue.newBuilder()
                                                        .addI(1)
                                                        .addI(33)
                                                        .addI(33)
                                                        .addI(1))
                                                .build()));
            }
            def.setNode(i, def.getNode(i).toBuilder().removeAttr("_output_shapes")); // now stale
        }
        Path modified = Files.write(dir.resolve("pool33.pb"), def.build().toByteArray());
        try (DeepLabModel other = DeepLabModel.load(modified);
                Segmenter segmenter = other.segmenter(320, 240, true)) {
            assertFalse(segmenter.unpadded());
            assertTrue(segmenter.paddedReason().contains("AvgPool"), segmenter.paddedReason());
            ByteBuffer labels = ByteBuffer.allocate(320 * 240);
            segmenter.segment(ByteBuffer.allocate(320 * 240 * 3), null, labels);
            System.out.println("fallback reason: " + segmenter.paddedReason());
        }
    }

    private static void compare(
            String what, TestData.Frame frame, Segmenter padded, Segmenter unpadded, double minimum) {
        int pixels = padded.outputWidth() * padded.outputHeight();
        ByteBuffer a = ByteBuffer.allocateDirect(pixels);
        ByteBuffer b = ByteBuffer.allocateDirect(pixels);
        double paddedMs = bestMs(padded, frame, a);
        double unpaddedMs = bestMs(unpadded, frame, b);
        double agreement = TestData.agreement(TestData.bytes(a), TestData.bytes(b));
        System.out.printf(
                "%s: unpadded labels equal padded on %.3f%% of %d pixels; padded %.1f ms, unpadded %.1f ms"
                        + " (best of 3)%n",
                what, 100 * agreement, pixels, paddedMs, unpaddedMs);
        assertTrue(agreement >= minimum, what + ": agreement " + agreement);
    }

    private static double bestMs(Segmenter segmenter, TestData.Frame frame, ByteBuffer labels) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) { // the first run warms up
            long t0 = System.nanoTime();
            segmenter.segment(frame.rgb(), null, labels);
            if (i > 0) {
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
        }
        return best;
    }
}

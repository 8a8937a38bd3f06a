package dev.segment.engine.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.DenseCrf;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.TemporalCrf;
import dev.segment.engine.ScoreGrid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CRF stage hands the model's logits grid to the CRF, which upsamples it natively: its labels and Q must equal,
 * bit for bit, those of the CRF fed the logits the Java upsampler makes at the CRF's resolution, cold and warm.
 */
class CrfRefinerTest {

    @Test
    void shouldEqualTheCrfOnJavaUpsampledLogits() throws Exception {
        Assumptions.assumeTrue(DenseCrf.isAvailable(), "native CRF library unavailable");
        int w = 97;
        int h = 61;
        int classes = 21;
        Random random = new Random(3);
        SegmentConfig config = SegmentConfig.defaults()
                .withOverride("crf.enabled", "true", "test")
                .withOverride("crf.backend", "cpu", "test");
        try (CrfRefiner refiner = new CrfRefiner(config.crf(), 0);
                TemporalCrf reference = new TemporalCrf(CrfRefiner.temporalConfig(config.crf()))) {
            VideoFrame frame = new VideoFrame(w, h);
            ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
            ByteBuffer expected = ByteBuffer.allocateDirect(w * h);
            FloatBuffer logits = ByteBuffer.allocateDirect(w * h * classes * 4)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            int differing = 0;
            for (int f = 0; f < 4; f++) {
                ByteBuffer rgb = frame.resize(w, h);
                for (int i = 0; i < w * h * 3; i++) {
                    rgb.put(i, (byte) ((i / 3 % w) * 2 + f * 5 + (i % 3) * 40));
                }
                // A 13x8 grid over a 100x60 model input at stride 8, a few classes dominant in blobs.
                ScoreGrid grid = new ScoreGrid();
                float[] data = grid.reset(13, 8, classes, 100, 60, 8);
                for (int i = 0; i < 13 * 8 * classes; i++) {
                    data[i] = (float) random.nextGaussian() * 2f;
                }
                for (int cell = 0; cell < 13 * 8; cell++) {
                    data[cell * classes + (cell % 7 < 3 ? 15 : cell % 5)] += 6f;
                }
                refiner.refine(frame, grid, labels);
                grid.logits(w, h, logits);
                reference.process(rgb, w, h, logits, ScoreKind.LOGITS, classes, expected);
                assertEquals(reference.lastWasWarm(), f > 0);
                for (int i = 0; i < w * h; i++) {
                    if (labels.get(i) != expected.get(i)) {
                        differing++;
                    }
                }
            }
            assertEquals(0, differing, "labels differing from the Java-upsampled CRF");
        }
    }

    /**
     * A frame larger than {@code crf.maxPixels} is refined on a smaller grid, with kernels scaled alike, and its labels
     * scaled back: nearly the labels of the CRF at the frame's size, and an object's edge where the picture has it.
     */
    @Test
    void aFrameBeyondThePixelLimitIsRefinedSmallerWithNearlyTheSameLabels() throws Exception {
        Assumptions.assumeTrue(DenseCrf.isAvailable(), "native CRF library unavailable");
        int w = 240;
        int h = 160;
        SegmentConfig base = SegmentConfig.defaults()
                .withOverride("crf.enabled", "true", "test")
                .withOverride("crf.backend", "cpu", "test");
        SegmentConfig limited = base.withOverride("crf.maxPixels", String.valueOf(120 * 80), "test");
        SegmentConfig full = base.withOverride("crf.maxPixels", "0", "test");
        VideoFrame frame = new VideoFrame(w, h);
        ByteBuffer rgb = frame.resize(w, h);
        // A bright disc (the object) on a dark textured background; the model's grid is coarse and blurs the disc.
        int cx = 130;
        int cy = 75;
        int r = 45;
        Random random = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                int v = inside ? 200 : 40 + random.nextInt(20);
                int i = (y * w + x) * 3;
                rgb.put(i, (byte) v).put(i + 1, (byte) (inside ? 60 : v)).put(i + 2, (byte) (v / 2));
            }
        }
        ScoreGrid grid = new ScoreGrid();
        int gw = w / 8 + 1;
        int gh = h / 8 + 1;
        float[] data = grid.reset(gw, gh, 21, w, h, 8);
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                double d = Math.hypot(gx * 8 - cx, gy * 8 - cy);
                // the model's edge: soft, 8 pixels too wide, and little confidence anywhere
                float person = (float) Math.max(-1, Math.min(1, (r + 8 - d) / 12.0));
                int cell = (gy * gw + gx) * 21;
                java.util.Arrays.fill(data, cell, cell + 21, -4f); // the other classes: unlikely
                data[cell] = -person;
                data[cell + 15] = person;
            }
        }
        ByteBuffer small = ByteBuffer.allocateDirect(w * h);
        ByteBuffer large = ByteBuffer.allocateDirect(w * h);
        try (CrfRefiner limitedCrf = new CrfRefiner(limited.crf());
                CrfRefiner fullCrf = new CrfRefiner(full.crf())) {
            limitedCrf.refine(frame, grid, small);
            fullCrf.refine(frame, grid, large);
            assertEquals("120x80", limitedCrf.gridSize());
            assertEquals("240x160", fullCrf.gridSize());
        }
        int same = 0;
        int rightEdge = 0;
        int fullRight = 0;
        int modelRight = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                same += small.get(i) == large.get(i) ? 1 : 0;
                boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                rightEdge += (small.get(i) == 15) == inside ? 1 : 0;
                fullRight += (large.get(i) == 15) == inside ? 1 : 0;
                boolean model = Math.hypot(x - cx, y - cy) < r + 8; // where the grid's person logit is positive
                modelRight += model == inside ? 1 : 0;
            }
        }
        assertTrue(same >= 0.99 * w * h, "labels equal to the full-size CRF's: " + same + " of " + w * h);
        String counts = "pixels labelled as the disc is: CRF on the small grid " + rightEdge + ", at the frame's size "
                + fullRight + ", the model " + modelRight + " of " + w * h;
        assertTrue(rightEdge > modelRight + 0.01 * w * h, "the small CRF moves the edge to the picture's: " + counts);
        assertTrue(rightEdge >= fullRight - 0.005 * w * h, "as well as the full-size CRF: " + counts);
    }

    @Test
    void kernelsAreScaledWithTheGrid() {
        dev.segment.crf.CrfParams p = new dev.segment.crf.CrfParams(3, 3, 50, 5, 4);
        assertEquals(new dev.segment.crf.CrfParams(1.5, 3, 25, 5, 4), CrfRefiner.scaledKernels(p, 0.5));
    }
}

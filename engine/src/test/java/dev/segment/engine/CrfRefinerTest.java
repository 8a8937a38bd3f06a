package dev.segment.engine;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.DenseCrf;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.TemporalCrf;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        SegmentConfig config = SegmentConfig.defaults().withOverride("crf.enabled", "true", "test")
                .withOverride("crf.backend", "cpu", "test");
        try (CrfRefiner refiner = new CrfRefiner(config.crf(), 0);
             TemporalCrf reference = new TemporalCrf(CrfRefiner.temporalConfig(config.crf()))) {
            VideoFrame frame = new VideoFrame(w, h);
            ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
            ByteBuffer expected = ByteBuffer.allocateDirect(w * h);
            FloatBuffer logits = ByteBuffer.allocateDirect(w * h * classes * 4).order(ByteOrder.nativeOrder())
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
}

package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.CrfBackend;
import dev.segment.crf.io.RgbImage;
import dev.segment.crf.support.CrfFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our CRF against the reference DenseCRF's outputs on ../shared/data/crf, with the reference's settings. */
class DenseCrfExactnessTest {

    @ParameterizedTest(name = "C={0} n={1} threads={2}")
    @CsvSource({"2, 5, 1", "21, 5, 1", "21, 10, 1", "2, 5, 2", "21, 5, 2", "21, 10, 2"})
    void shouldMatchReferenceLabelsQAndKl(int classes, int iterations, int threads) throws IOException {
        RgbImage image = CrfFixtures.readPpm(CrfFixtures.crf("im1_320x240.ppm"));
        int n = image.width() * image.height();
        String stem = "im1_320x240_C" + classes;
        FloatBuffer prob = CrfFixtures.readChwAsHwc(CrfFixtures.crf(stem + ".prob.f32"), classes, n);
        FloatBuffer qRef = CrfFixtures.readChwAsHwc(CrfFixtures.crf(stem + "_n" + iterations + ".q.f32"), classes, n);
        byte[] labelsRef = CrfFixtures.readBytes(CrfFixtures.crf(stem + "_n" + iterations + ".labels.u8"));
        double[] klRef = CrfFixtures.readKl(CrfFixtures.crf(stem + "_n" + iterations + ".log"));

        FloatBuffer q = CrfFixtures.directFloats(n * classes);
        ByteBuffer labels = ByteBuffer.allocateDirect(n);
        double[] kl = new double[iterations + 1];
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, threads)) {
            crf.infer(
                    image.rgb(),
                    image.width(),
                    image.height(),
                    classes,
                    CrfFixtures.unaryOf(prob),
                    ScoreKind.UNARY,
                    q,
                    Start.COLD,
                    iterations,
                    labels,
                    kl);
        }

        int agree = 0;
        double maxDiff = 0;
        for (int i = 0; i < n; i++) {
            if (labels.get(i) == labelsRef[i]) {
                agree++;
            }
            for (int c = 0; c < classes; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(q.get(i * classes + c) - qRef.get(i * classes + c)));
            }
        }
        double agreement = agree / (double) n;
        System.out.printf(
                "C=%d n=%d threads=%d: labels agree %.5f, max |dQ| %.2e%n",
                classes, iterations, threads, agreement, maxDiff);
        assertTrue(agreement >= 0.999, "label agreement " + agreement);
        assertTrue(maxDiff <= 1e-3, "max |Q - Q_ref| " + maxDiff);
        assertEquals(iterations + 1, klRef.length, "reference log lines");
        for (int it = 0; it <= iterations; it++) {
            double rel = Math.abs(kl[it] - klRef[it]) / Math.abs(klRef[it]);
            System.out.printf("  iter %d KL %.3f ref %.3f rel %.2e%n", it, kl[it], klRef[it], rel);
            assertTrue(rel <= 1e-3, "KL of iteration " + it + ": " + kl[it] + " vs " + klRef[it]);
        }
    }

    @org.junit.jupiter.api.Test
    void shouldDeriveTheFixtureProbabilitiesFromTheAnnotation() throws IOException {
        byte[] anno = CrfFixtures.readBytes(CrfFixtures.crf("im1_320x240.anno.u8"));
        for (int classes : new int[] {2, 21}) {
            FloatBuffer derived = CrfFixtures.probabilitiesFromAnnotation(anno, classes);
            FloatBuffer file = CrfFixtures.readChwAsHwc(
                    CrfFixtures.crf("im1_320x240_C" + classes + ".prob.f32"), classes, anno.length);
            assertEquals(0.0, dev.segment.crf.support.Frames.maxAbsDiff(derived, file), 1e-8, "C=" + classes);
        }
    }
}

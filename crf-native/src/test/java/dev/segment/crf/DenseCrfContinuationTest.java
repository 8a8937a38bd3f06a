package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.CrfBackend;
import dev.segment.crf.support.CrfFixtures;
import dev.segment.crf.support.Frames;
import dev.segment.crf.support.Frames.Input;
import dev.segment.crf.support.Frames.Output;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Starting from a given Q, probabilities as input, KL output, zero iterations. */
class DenseCrfContinuationTest {

    @Test
    void shouldContinueFromAGivenQExactlyAsOneLongerRun() throws IOException {
        Input in = Frames.im1At640(21);
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, 2)) {
            Output five = Frames.run(crf, in, 5);
            Output three = Frames.run(crf, in, 3);
            ByteBuffer labels = ByteBuffer.allocateDirect(in.pixels());
            crf.infer(
                    in.image().rgb(),
                    in.image().width(),
                    in.image().height(),
                    21,
                    in.unary(),
                    ScoreKind.UNARY,
                    three.q(),
                    Start.FROM_Q,
                    2,
                    labels,
                    null);
            assertTrue(Frames.maxAbsDiff(five.q(), three.q()) <= 1e-6, "3 + 2 iterations vs 5");
            assertEquals(1.0, Frames.agreement(five.labels(), labels));
        }
    }

    @Test
    void shouldTakeProbabilitiesAsWellAsUnaries() throws IOException {
        Input in = Frames.im1At640(21);
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, 2)) {
            Output fromUnary = Frames.run(crf, in, 5);
            FloatBuffer q = CrfFixtures.directFloats(in.pixels() * 21);
            crf.infer(
                    in.image().rgb(),
                    in.image().width(),
                    in.image().height(),
                    21,
                    in.probabilities(),
                    ScoreKind.PROBABILITIES,
                    q,
                    Start.COLD,
                    5,
                    null,
                    null);
            assertTrue(Frames.maxAbsDiff(fromUnary.q(), q) <= 1e-4, "probabilities vs unary input");
        }
    }

    @Test
    void shouldTakeLogitsAsTheirSoftmaxProbabilitiesIncludingTheClamp() throws IOException {
        logitsAgainstProbabilities(21);
        logitsAgainstProbabilities(2);
    }

    private static void logitsAgainstProbabilities(int classes) throws IOException {
        Input in = Frames.im1At640(classes);
        int n = in.pixels();
        // Logits spread wide enough that many classes fall below the 1e-5 clamp, shifted per pixel (softmax ignores
        // it).
        java.util.Random random = new java.util.Random(7);
        FloatBuffer logits = CrfFixtures.directFloats(n * classes);
        FloatBuffer probabilities = CrfFixtures.directFloats(n * classes);
        for (int i = 0; i < n; i++) {
            double shift = random.nextGaussian() * 20;
            double max = Double.NEGATIVE_INFINITY;
            double[] l = new double[classes];
            for (int c = 0; c < classes; c++) {
                l[c] = Math.log(in.probabilities().get(i * classes + c)) * 3 + random.nextGaussian() * 2 + shift;
                logits.put(i * classes + c, (float) l[c]);
                max = Math.max(max, l[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(l[c] - max);
            }
            for (int c = 0; c < classes; c++) {
                probabilities.put(i * classes + c, (float) (Math.exp(l[c] - max) / sum));
            }
        }
        String old = System.getProperty(DenseCrf.BASELINE_ISA_PROPERTY);
        for (boolean baseline : new boolean[] {false, true}) {
            System.setProperty(DenseCrf.BASELINE_ISA_PROPERTY, Boolean.toString(baseline));
            try (DenseCrf crf = DenseCrf.open(CrfParams.pipelineDefault(), CrfBackend.CPU, 2)) {
                FloatBuffer fromProbabilities = CrfFixtures.directFloats(n * classes);
                FloatBuffer fromLogits = CrfFixtures.directFloats(n * classes);
                crf.infer(
                        in.image().rgb(),
                        640,
                        480,
                        classes,
                        probabilities,
                        ScoreKind.PROBABILITIES,
                        fromProbabilities,
                        Start.COLD,
                        5,
                        null,
                        null);
                crf.infer(
                        in.image().rgb(),
                        640,
                        480,
                        classes,
                        logits,
                        ScoreKind.LOGITS,
                        fromLogits,
                        Start.COLD,
                        5,
                        null,
                        null);
                double diff = Frames.maxAbsDiff(fromProbabilities, fromLogits);
                assertTrue(
                        diff <= 1e-4,
                        crf.backendName() + ", " + classes + " classes: logits vs probabilities, max |dQ| " + diff);
            } finally {
                if (old == null) {
                    System.clearProperty(DenseCrf.BASELINE_ISA_PROPERTY);
                } else {
                    System.setProperty(DenseCrf.BASELINE_ISA_PROPERTY, old);
                }
            }
        }
    }

    @Test
    void shouldReturnSoftmaxOfTheUnaryAfterZeroIterationsAndKlThatFalls() throws IOException {
        Input in = Frames.im1At640(2);
        FloatBuffer q = CrfFixtures.directFloats(in.pixels() * 2);
        double[] kl = new double[4];
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, 2)) {
            crf.infer(
                    in.image().rgb(),
                    in.image().width(),
                    in.image().height(),
                    2,
                    in.unary(),
                    ScoreKind.UNARY,
                    q,
                    Start.COLD,
                    0,
                    null,
                    null);
            for (int i = 0; i < in.pixels() * 2; i++) {
                assertEquals(in.probabilities().get(i), q.get(i), 1e-6, "Q0 = softmax(-U) at " + i);
            }
            crf.infer(
                    in.image().rgb(),
                    in.image().width(),
                    in.image().height(),
                    2,
                    in.unary(),
                    ScoreKind.UNARY,
                    q,
                    Start.COLD,
                    3,
                    null,
                    kl);
            CrfTimings t = crf.lastTimings();
            assertTrue(t.totalMillis() > 0 && t.totalMillis() >= t.iterationsMillis(), t.toString());
        }
        double[] sorted = kl.clone();
        java.util.Arrays.sort(sorted);
        double[] descending = {sorted[3], sorted[2], sorted[1], sorted[0]};
        assertArrayEquals(descending, kl, "mean-field lowers the KL divergence at every step");
    }
}

package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), Backend.CPU, 2)) {
      Output five = Frames.run(crf, in, 5);
      Output three = Frames.run(crf, in, 3);
      ByteBuffer labels = ByteBuffer.allocateDirect(in.pixels());
      crf.infer(in.image().rgb(), in.image().width(), in.image().height(), 21, in.unary(), ScoreKind.UNARY,
          three.q(), Start.FROM_Q, 2, labels, null);
      assertTrue(Frames.maxAbsDiff(five.q(), three.q()) <= 1e-6, "3 + 2 iterations vs 5");
      assertEquals(1.0, Frames.agreement(five.labels(), labels));
    }
  }

  @Test
  void shouldTakeProbabilitiesAsWellAsUnaries() throws IOException {
    Input in = Frames.im1At640(21);
    try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), Backend.CPU, 2)) {
      Output fromUnary = Frames.run(crf, in, 5);
      FloatBuffer q = CrfFixtures.directFloats(in.pixels() * 21);
      crf.infer(in.image().rgb(), in.image().width(), in.image().height(), 21, in.probabilities(),
          ScoreKind.PROBABILITIES, q, Start.COLD, 5, null, null);
      assertTrue(Frames.maxAbsDiff(fromUnary.q(), q) <= 1e-4, "probabilities vs unary input");
    }
  }

  @Test
  void shouldReturnSoftmaxOfTheUnaryAfterZeroIterationsAndKlThatFalls() throws IOException {
    Input in = Frames.im1At640(2);
    FloatBuffer q = CrfFixtures.directFloats(in.pixels() * 2);
    double[] kl = new double[4];
    try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), Backend.CPU, 2)) {
      crf.infer(in.image().rgb(), in.image().width(), in.image().height(), 2, in.unary(), ScoreKind.UNARY, q,
          Start.COLD, 0, null, null);
      for (int i = 0; i < in.pixels() * 2; i++) {
        assertEquals(in.probabilities().get(i), q.get(i), 1e-6, "Q0 = softmax(-U) at " + i);
      }
      crf.infer(in.image().rgb(), in.image().width(), in.image().height(), 2, in.unary(), ScoreKind.UNARY, q,
          Start.COLD, 3, null, kl);
      CrfTimings t = crf.lastTimings();
      assertTrue(t.totalMillis() > 0 && t.totalMillis() >= t.iterationsMillis(), t.toString());
    }
    double[] sorted = kl.clone();
    java.util.Arrays.sort(sorted);
    double[] descending = {sorted[3], sorted[2], sorted[1], sorted[0]};
    assertArrayEquals(descending, kl, "mean-field lowers the KL divergence at every step");
  }
}

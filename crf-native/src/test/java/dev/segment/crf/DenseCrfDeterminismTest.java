package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.CrfBackend;
import dev.segment.crf.io.RgbImage;
import dev.segment.crf.support.CrfFixtures;
import dev.segment.crf.support.Frames;
import dev.segment.crf.support.Frames.Input;
import dev.segment.crf.support.Frames.Output;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Results depend on neither the thread count nor the CPU kernel variant beyond float rounding. */
class DenseCrfDeterminismTest {
    private static Input input;
    private static Output oneThread;

    @BeforeAll
    static void runOnOneThread() throws IOException {
        input = Frames.im1At640(21);
        oneThread = Frames.run(input, CrfParams.reference(), 1, 5);
    }

    @Test
    void shouldMatchTheReferenceLabelsAt640x480() throws IOException {
        byte[] ref = CrfFixtures.readBytes(CrfFixtures.crf("im1_640x480_C21_n5.labels.u8"));
        double agreement = Frames.agreement(oneThread.labels(), ref);
        assertTrue(agreement >= 0.999, "label agreement with the reference at 640x480: " + agreement);
    }

    @Test
    void shouldGiveTheSameResultOnAnyNumberOfThreads() {
        for (int threads : new int[] {2, 3, 5}) {
            Output out = Frames.run(input, CrfParams.reference(), threads, 5);
            double diff = Frames.maxAbsDiff(oneThread.q(), out.q());
            double agreement = Frames.agreement(oneThread.labels(), out.labels());
            assertTrue(diff <= 1e-5, threads + " threads: max |dQ| " + diff);
            assertTrue(agreement >= 0.9999, threads + " threads: label agreement " + agreement);
        }
    }

    @Test
    void aLatticeWithAboutAsManyPointsAsPixelsIsTheSameOnAnyNumberOfThreads() {
        // Colour noise under a narrow colour kernel: nearly every pixel has a simplex of its own, so the lattice has
        // about as many points as the frame has pixels and the build's vertex tables grow while they fill; the
        // chunks, and so where the tables grow, depend on the thread count.
        int width = 160;
        int height = 120;
        int classes = 4;
        Random random = new Random(7);
        ByteBuffer rgb = ByteBuffer.allocateDirect(width * height * 3);
        for (int i = 0; i < width * height * 3; i++) {
            rgb.put((byte) random.nextInt(256));
        }
        rgb.flip();
        FloatBuffer probabilities = CrfFixtures.directFloats(width * height * classes);
        for (int i = 0; i < width * height; i++) {
            float[] p = new float[classes];
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = 0.05f + random.nextFloat();
                sum += p[c];
            }
            for (int c = 0; c < classes; c++) {
                probabilities.put(p[c] / sum);
            }
        }
        probabilities.flip();
        Input noise = new Input(new RgbImage(width, height, rgb), classes, probabilities);
        CrfParams narrow = new CrfParams(3, 3, 20, 2, 10);
        Output one = Frames.run(noise, narrow, 1, 3);
        for (int threads : new int[] {2, 3, 5}) {
            Output out = Frames.run(noise, narrow, threads, 3);
            double diff = Frames.maxAbsDiff(one.q(), out.q());
            assertTrue(diff <= 1e-5, threads + " threads on colour noise: max |dQ| " + diff);
        }
    }

    @Test
    void shouldGiveTheSameResultWithTheBaselineKernels() {
        String old = System.getProperty(DenseCrf.BASELINE_ISA_PROPERTY);
        System.setProperty(DenseCrf.BASELINE_ISA_PROPERTY, "true");
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, 2)) {
            assertTrue(crf.backendName().contains("x86-64-v2"), crf.backendName());
            Output out = Frames.run(crf, input, 5);
            double diff = Frames.maxAbsDiff(oneThread.q(), out.q());
            assertTrue(diff <= 1e-5, "baseline kernels: max |dQ| " + diff);
            assertTrue(Frames.agreement(oneThread.labels(), out.labels()) >= 0.9999);
        } finally {
            if (old == null) {
                System.clearProperty(DenseCrf.BASELINE_ISA_PROPERTY);
            } else {
                System.setProperty(DenseCrf.BASELINE_ISA_PROPERTY, old);
            }
        }
    }
}

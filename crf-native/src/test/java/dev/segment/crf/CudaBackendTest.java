package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segment.config.CrfBackend;
import dev.segment.crf.io.RgbImage;
import dev.segment.crf.support.CrfFixtures;
import dev.segment.crf.support.Frames;
import dev.segment.crf.support.Frames.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend: the same checks as on the CPU when a GPU is present (skipped otherwise), and the fallback and
 * error paths when it is not. A GPU is hardware, not a package {@code .ci/run} can install, so these skips stay
 * skips under {@code segment.requireSystemTools}: the skip message says what is needed.
 */
class CudaBackendTest {
    private static final String NEEDS = "needs an NVIDIA GPU with its driver (Debian package nvidia-driver) and the"
            + " CUDA kernels built by nvcc (Debian package nvidia-cuda-toolkit); ";

    @Test
    void shouldMatchTheReferenceOnTheGpu() throws IOException {
        assumeTrue(DenseCrf.isCudaAvailable(), () -> NEEDS + "here: " + DenseCrf.cudaUnavailabilityCause());
        RgbImage image = CrfFixtures.readPpm(CrfFixtures.crf("im1_320x240.ppm"));
        int n = image.pixels();
        FloatBuffer prob = CrfFixtures.readChwAsHwc(CrfFixtures.crf("im1_320x240_C21.prob.f32"), 21, n);
        FloatBuffer qRef = CrfFixtures.readChwAsHwc(CrfFixtures.crf("im1_320x240_C21_n10.q.f32"), 21, n);
        double[] klRef = CrfFixtures.readKl(CrfFixtures.crf("im1_320x240_C21_n10.log"));
        FloatBuffer q = CrfFixtures.directFloats(n * 21);
        ByteBuffer labels = ByteBuffer.allocateDirect(n);
        double[] kl = new double[11];
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CUDA, 0)) {
            assertTrue(crf.backendName().startsWith("cuda"), crf.backendName());
            crf.infer(
                    image.rgb(),
                    image.width(),
                    image.height(),
                    21,
                    CrfFixtures.unaryOf(prob),
                    ScoreKind.UNARY,
                    q,
                    Start.COLD,
                    10,
                    labels,
                    kl);
        }
        byte[] ref = CrfFixtures.readBytes(CrfFixtures.crf("im1_320x240_C21_n10.labels.u8"));
        assertTrue(Frames.agreement(labels, ref) >= 0.999);
        assertTrue(Frames.maxAbsDiff(q, qRef) <= 1e-3);
        for (int i = 0; i <= 10; i++) {
            assertEquals(klRef[i], kl[i], Math.abs(klRef[i]) * 1e-3, "KL of iteration " + i);
        }
    }

    @Test
    void shouldAgreeWithTheCpuOnAWarmStart() throws IOException {
        assumeTrue(DenseCrf.isCudaAvailable(), () -> NEEDS + "here: " + DenseCrf.cudaUnavailabilityCause());
        Input in = Frames.im1At640(21);
        FloatBuffer[] q = new FloatBuffer[2];
        CrfBackend[] backends = {CrfBackend.CPU, CrfBackend.CUDA};
        for (int k = 0; k < 2; k++) {
            try (DenseCrf crf = DenseCrf.open(CrfParams.pipelineDefault(), backends[k], 2)) {
                q[k] = Frames.run(crf, in, 3).q();
                crf.infer(
                        in.image().rgb(),
                        640,
                        480,
                        21,
                        in.probabilities(),
                        ScoreKind.PROBABILITIES,
                        q[k],
                        Start.WARM_GATED,
                        1,
                        null,
                        null);
            }
        }
        assertTrue(Frames.maxAbsDiff(q[0], q[1]) <= 1e-3);
    }

    @Test
    void shouldFallBackToTheCpuAndSayWhyWhenCudaIsUnavailable() {
        assumeFalse(
                DenseCrf.isCudaAvailable(), "a GPU is present: the fallback path is tested on machines without one");
        String cause = DenseCrf.cudaUnavailabilityCause();
        assertNotNull(cause);
        try (DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.AUTO, 1)) {
            assertTrue(crf.backendName().startsWith("cpu"), crf.backendName());
            assertTrue(crf.backendReason().contains(cause), crf.backendReason());
        }
        CrfException e =
                assertThrows(CrfException.class, () -> DenseCrf.open(CrfParams.reference(), CrfBackend.CUDA, 1));
        assertTrue(e.getMessage().contains(cause), e.getMessage());
        assertTrue(DenseCrf.describeRuntime().contains("CUDA unavailable"), DenseCrf.describeRuntime());
    }
}

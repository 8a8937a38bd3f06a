package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segment.cli.support.Segment;
import dev.segment.crf.DenseCrf;
import org.junit.jupiter.api.Test;

/** {@code segment info} on a machine without a GPU says so plainly; CUDA's own reason only with --verbose. */
class InfoCommandTest {

    @Test
    void noGpuIsSaidPlainlyAndCudasReasonOnlyWithVerbose() throws Exception {
        assumeTrue(DenseCrf.isAvailable(), "the native CRF library did not load");
        assumeFalse(DenseCrf.gpuPresent() || DenseCrf.isCudaAvailable(), "this machine has a GPU");
        String cause = DenseCrf.cudaUnavailabilityCause();
        assumeFalse(cause.startsWith("disabled by "), "CUDA is switched off here: " + cause);

        Segment.Result plain = Segment.run("info");
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.out().contains("crf backend: cpu (no GPU found)\n"), plain::toString);
        assertFalse(plain.out().contains(cause), "CUDA's reason is for --verbose: " + plain);
        assertFalse(plain.out().toLowerCase(java.util.Locale.ROOT).contains("driver"), plain::toString);

        Segment.Result verbose = Segment.run("info", "--verbose");
        assertEquals(0, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.out().contains("crf backend: cpu (no GPU found; CUDA: " + cause + ")"), verbose::toString);
    }
}

package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrfParamsTest {
    @Test
    void shouldKeepTheReferenceSettings() {
        assertEquals(new CrfParams(3, 3, 80, 13, 10), CrfParams.reference());
    }

    @Test
    void shouldRejectEachInvalidFieldByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CrfParams(0, 3, 80, 13, 10))
                .getMessage()
                .startsWith("gaussianSxy"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CrfParams(3, -1, 80, 13, 10))
                .getMessage()
                .startsWith("gaussianWeight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CrfParams(3, 3, Double.NaN, 13, 10))
                .getMessage()
                .startsWith("bilateralSxy"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> new CrfParams(3, 3, 80, Double.POSITIVE_INFINITY, 10))
                .getMessage()
                .startsWith("bilateralSrgb"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CrfParams(3, 3, 80, 13, -0.5))
                .getMessage()
                .startsWith("bilateralWeight"));
        assertThrows(IllegalArgumentException.class, () -> new WarmGate(1.5, 0.5, 0, 0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmGate(0.5, -0.1, 0, 0, 10, 0));
    }

    @Test
    void shouldRunWithAKernelSwitchedOff() throws java.io.IOException {
        var in = dev.segment.crf.support.Frames.im1At640(2);
        var none = dev.segment.crf.support.Frames.run(in, new CrfParams(3, 0, 80, 13, 0), 2, 3);
        // Without pairwise terms mean-field keeps Q = softmax(-U).
        for (int i = 0; i < in.pixels() * 2; i += 997) {
            assertEquals(in.probabilities().get(i), none.q().get(i), 1e-6);
        }
        var bilateralOnly = dev.segment.crf.support.Frames.run(in, new CrfParams(3, 0, 80, 13, 10), 2, 3);
        assertTrue(dev.segment.crf.support.Frames.maxAbsDiff(none.q(), bilateralOnly.q()) > 0.1);
    }
}

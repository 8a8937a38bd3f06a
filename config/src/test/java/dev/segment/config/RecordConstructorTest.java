package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Records built in code (embedding, tests) are checked by their constructors with the same rules. */
class RecordConstructorTest {
    @Test
    void constructorRejectsOutOfRangeValueNamingTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new OverlayConfig(1.5, false, OverlayStyle.OUTLINE, false));
        assertEquals("alpha = 1.5: must be between 0 and 1", e.getMessage());
    }

    @Test
    void constructorRejectsNullRequiredComponent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PipelineConfig(16, null));
        assertEquals("backpressure = null: must not be null", e.getMessage());
    }

    @Test
    void constructorCrossFieldCheckNamesBothFields() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ReconnectConfig(-1, 500, 100, 0.2));
        assertEquals("maxDelayMs = 100: must be >= initialDelayMs (500)", e.getMessage());
    }

    @Test
    void sentinelValuesAreAcceptedAndTheirNeighboursRejected() {
        new SourceConfig(
                Transport.TCP,
                100,
                100,
                false,
                0,
                -1,
                0,
                SegmentConfig.defaults().source().reconnect());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SourceConfig(
                        Transport.TCP,
                        100,
                        100,
                        false,
                        0,
                        0,
                        0,
                        SegmentConfig.defaults().source().reconnect()));
        assertEquals("maxFrames = 0: must be -1 (all) or >= 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReconnectConfig(-2, 500, 500, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CrfConfig(
                        false,
                        5,
                        1,
                        true,
                        new GaussianKernel(3, 3),
                        new BilateralKernel(50, 5, 4),
                        0.0,
                        0,
                        0,
                        0,
                        CrfBackend.AUTO,
                        0.35,
                        new TemporalKernel(2, 10),
                        32));
    }
}

package dev.segment.engine.keyframes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segment.config.SegmentConfig;
import dev.segment.engine.KeyframeReason;
import org.junit.jupiter.api.Test;

class KeyframePolicyTest {
    private final KeyframePolicy policy =
            new KeyframePolicy(SegmentConfig.defaults().keyframes());

    private static Motion motion(double residual, double untrusted, double change) {
        return new Motion(0, 0, residual, untrusted, change, 320, 180);
    }

    @Test
    void startRestartSizeAndCutComeBeforeAnyMotion() {
        assertEquals(KeyframeReason.START, policy.beforeMotion(false, false, false, 0, 0));
        assertEquals(KeyframeReason.RESTART, policy.beforeMotion(true, true, false, 0, 1));
        assertEquals(KeyframeReason.SIZE, policy.beforeMotion(true, false, true, 0, 1));
        assertEquals(KeyframeReason.CUT, policy.beforeMotion(true, false, false, 0.9, 1));
        assertEquals(KeyframeReason.INTERVAL, policy.beforeMotion(true, false, false, 0.01, 12));
        assertNull(policy.beforeMotion(true, false, false, 0.01, 11), "the motion decides");
    }

    @Test
    void theMotionDecidesByResidualThenUntrustedShareThenLocalChange() {
        assertEquals(KeyframeReason.CARRIED, policy.afterMotion(motion(3, 0.01, 0.05)));
        assertEquals(KeyframeReason.RESIDUAL, policy.afterMotion(motion(12.5, 0.01, 0.05)));
        assertEquals(KeyframeReason.UNCERTAIN, policy.afterMotion(motion(3, 0.3, 0.05)));
        assertEquals(KeyframeReason.CHANGE, policy.afterMotion(motion(3, 0.02, 0.4)));
    }

    @Test
    void thresholdsComeFromTheConfiguration() throws Exception {
        KeyframePolicy strict = new KeyframePolicy(SegmentConfig.defaults()
                .withOverride("keyframes.residual", "2", "test")
                .withOverride("keyframes.maxInterval", "3", "test")
                .keyframes());
        assertEquals(KeyframeReason.RESIDUAL, strict.afterMotion(motion(3, 0.01, 0.05)));
        assertEquals(KeyframeReason.INTERVAL, strict.beforeMotion(true, false, false, 0, 3));
    }

    @Test
    void onlyCarriedFramesSkipTheModel() {
        for (KeyframeReason r : KeyframeReason.values()) {
            assertEquals(r != KeyframeReason.CARRIED, r.keyframe(), r.label());
        }
    }
}

package dev.segment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segment.config.SegmentConfig;
import dev.segment.engine.KeyframePolicy.Reason;
import dev.segment.engine.motion.MotionEstimator.Motion;
import org.junit.jupiter.api.Test;

class KeyframePolicyTest {
    private final KeyframePolicy policy =
            new KeyframePolicy(SegmentConfig.defaults().keyframes());

    private static Motion motion(double residual, double untrusted, double change) {
        return new Motion(0, 0, residual, untrusted, change, 320, 180);
    }

    @Test
    void startRestartSizeAndCutComeBeforeAnyMotion() {
        assertEquals(Reason.START, policy.beforeMotion(false, false, false, 0, 0));
        assertEquals(Reason.RESTART, policy.beforeMotion(true, true, false, 0, 1));
        assertEquals(Reason.SIZE, policy.beforeMotion(true, false, true, 0, 1));
        assertEquals(Reason.CUT, policy.beforeMotion(true, false, false, 0.9, 1));
        assertEquals(Reason.INTERVAL, policy.beforeMotion(true, false, false, 0.01, 12));
        assertNull(policy.beforeMotion(true, false, false, 0.01, 11), "the motion decides");
    }

    @Test
    void theMotionDecidesByResidualThenUntrustedShareThenLocalChange() {
        assertEquals(Reason.CARRIED, policy.afterMotion(motion(3, 0.01, 0.05)));
        assertEquals(Reason.RESIDUAL, policy.afterMotion(motion(12.5, 0.01, 0.05)));
        assertEquals(Reason.UNCERTAIN, policy.afterMotion(motion(3, 0.3, 0.05)));
        assertEquals(Reason.CHANGE, policy.afterMotion(motion(3, 0.02, 0.4)));
    }

    @Test
    void thresholdsComeFromTheConfiguration() throws Exception {
        KeyframePolicy strict = new KeyframePolicy(SegmentConfig.defaults()
                .withOverride("keyframes.residual", "2", "test")
                .withOverride("keyframes.maxInterval", "3", "test")
                .keyframes());
        assertEquals(Reason.RESIDUAL, strict.afterMotion(motion(3, 0.01, 0.05)));
        assertEquals(Reason.INTERVAL, strict.beforeMotion(true, false, false, 0, 3));
    }

    @Test
    void onlyCarriedFramesSkipTheModel() {
        for (Reason r : Reason.values()) {
            assertEquals(r != Reason.CARRIED, r.keyframe(), r.label());
        }
    }
}

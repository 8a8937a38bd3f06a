package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigFields;
import dev.segment.config.SegmentConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeRowsTest {
    @Test
    void rowsAreConfigOverridesByShortNameFieldPathOrFlagName() throws Exception {
        List<ModeRows.Row> rows = ModeRows.parse(
                "crf=off; crf=on, crf.iterations=10 ;crf=on,--crf-warm-iterations=2," + "crf.warmStart=off", "--modes");
        assertEquals(3, rows.size());
        assertEquals("crf=off", rows.get(0).label());
        assertEquals("crf=on,crf.iterations=10", rows.get(1).label());
        SegmentConfig base = SegmentConfig.defaults().withOverride("crf.enabled", "true", "--crf");
        assertFalse(rows.get(0).applyTo(base).crf().enabled(), "the row wins over the command's flags");
        SegmentConfig second = rows.get(1).applyTo(SegmentConfig.defaults());
        assertTrue(second.crf().enabled());
        assertEquals(10, second.crf().iterations());
        SegmentConfig third = rows.get(2).applyTo(SegmentConfig.defaults());
        assertEquals(2, third.crf().warmIterations());
        assertFalse(third.crf().warmStart());
        ConfigException e = assertThrows(ConfigException.class, () -> ModeRows.parse("crf=maybe", "--modes"));
        assertTrue(e.getMessage().endsWith("crf.enabled = maybe: must be on or off"), e.getMessage());
    }

    @Test
    void defaultRowsAreTheCrfCrossedWithKeyframesWhenTheConfigHasThem() throws Exception {
        List<ModeRows.Row> rows = ModeRows.parse(ModeRows.defaults(), "--modes");
        boolean keyframes = ConfigFields.paths().contains(ModeRows.KEYFRAMES_FIELD);
        assertEquals(keyframes ? 4 : 2, rows.size());
        assertFalse(rows.get(0).applyTo(SegmentConfig.defaults()).crf().enabled());
        assertTrue(rows.get(1).applyTo(SegmentConfig.defaults()).crf().enabled());
    }

    @Test
    void badRowsNameTheFlagTheSettingAndWhatIsAllowed() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> ModeRows.parse("crf=on,crff=1", "--modes"));
        assertTrue(
                unknown.getMessage().contains("--modes") && unknown.getMessage().contains("crff"),
                unknown.getMessage());
        ConfigException value =
                assertThrows(ConfigException.class, () -> ModeRows.parse("crf=on;crf.iterations=0", "--modes"));
        assertTrue(
                value.getMessage().contains("crf.iterations")
                        && value.getMessage().contains("--modes"),
                value.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> ModeRows.parse("crf=on;;crf=off", "--modes"));
        assertTrue(empty.getMessage().contains("empty row"), empty.getMessage());
        ConfigException noValue = assertThrows(ConfigException.class, () -> ModeRows.parse("crf", "--modes"));
        assertTrue(noValue.getMessage().contains("KEY=VALUE"), noValue.getMessage());
        if (!ConfigFields.paths().contains(ModeRows.KEYFRAMES_FIELD)) {
            ConfigException keyframes =
                    assertThrows(ConfigException.class, () -> ModeRows.parse("keyframes=auto", "--modes"));
            assertTrue(keyframes.getMessage().contains(ModeRows.KEYFRAMES_FIELD), keyframes.getMessage());
        }
    }
}

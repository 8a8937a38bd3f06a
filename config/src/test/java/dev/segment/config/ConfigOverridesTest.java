package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOverridesTest {
    private final SegmentConfig d = SegmentConfig.defaults();

    @TempDir
    Path dir;

    @Test
    void overrideParsesEachFieldType() throws ConfigException {
        SegmentConfig c = d.withOverride("crf.iterations", "7", "--crf-iterations")
                .withOverride("crf.bilateral.srgb", "13.5", "--crf-bilateral-srgb")
                .withOverride("crf.enabled", "TRUE", "--crf")
                .withOverride("pipeline.backpressure", "drop-oldest", "--backpressure")
                .withOverride("output.codec", "libx265", "--codec")
                .withOverride("output.masksDir", "masks", "--masks-dir")
                .withOverride("source.durationSeconds", "2", "--duration");
        assertEquals(7, c.crf().iterations());
        assertEquals(13.5, c.crf().bilateral().srgb());
        assertTrue(c.crf().enabled());
        assertEquals(Backpressure.DROP_OLDEST, c.pipeline().backpressure());
        assertEquals("libx265", c.output().codec());
        assertEquals("masks", c.output().masksDir());
        assertEquals(2.0, c.source().durationSeconds());
        assertEquals(d.crf().gaussian(), c.crf().gaussian());
        assertEquals(5, d.crf().iterations(), "the original is unchanged");
    }

    @Test
    void emptyTextClearsAnOptionalField() throws ConfigException {
        SegmentConfig withMasks = d.withOverride("output.masksDir", "masks", "--masks-dir");
        assertNull(withMasks
                .withOverride("output.masksDir", "", "--no-masks")
                .output()
                .masksDir());
    }

    @Test
    void outOfRangeOverrideNamesTheFlag() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.iterations", "-3", "--crf-iterations"));
        assertEquals("--crf-iterations: crf.iterations = -3: must be between 1 and 100", e.getMessage());
        assertEquals("--crf-iterations", e.origin());
        assertEquals("crf.iterations", e.fieldPath());
        assertEquals("-3", e.value());
    }

    @Test
    void textThatIsNotOfTheFieldTypeIsRejected() {
        ConfigException notInt =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.iterations", "3.5", "--crf-iterations"));
        assertEquals("--crf-iterations: crf.iterations = 3.5: must be an integer", notInt.getMessage());

        ConfigException notNumber =
                assertThrows(ConfigException.class, () -> d.withOverride("overlay.alpha", "half", "--alpha"));
        assertEquals("--alpha: overlay.alpha = half: must be a number", notNumber.getMessage());

        ConfigException infinite =
                assertThrows(ConfigException.class, () -> d.withOverride("overlay.alpha", "1e999", "--alpha"));
        assertEquals("--alpha: overlay.alpha = 1e999: must be a finite number", infinite.getMessage());
        assertThrows(ConfigException.class, () -> d.withOverride("overlay.alpha", "NaN", "--alpha"));

        ConfigException notBoolean =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.enabled", "yes", "--crf"));
        assertEquals("--crf: crf.enabled = yes: must be true or false", notBoolean.getMessage());

        ConfigException notEnum =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.backend", "gpu", "--crf-backend"));
        assertEquals("--crf-backend: crf.backend = \"gpu\": must be one of auto, cpu, cuda", notEnum.getMessage());

        ConfigException emptyRequired =
                assertThrows(ConfigException.class, () -> d.withOverride("listen.bindAddress", "", "--bind"));
        assertEquals("--bind: listen.bindAddress = \"\": must be a non-empty string", emptyRequired.getMessage());
    }

    @Test
    void unknownPathListsTheValidFieldsAtThatLevel() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.bilateral.rgb", "3", "--crf-rgb"));
        assertEquals("--crf-rgb", e.origin());
        assertEquals("crf.bilateral.rgb", e.fieldPath());
        assertTrue(e.problem().contains("did you mean 'srgb'?"), e.getMessage());
        assertTrue(e.problem().endsWith("valid fields in crf.bilateral: sxy, srgb, weight"), e.getMessage());
    }

    @Test
    void sectionPathIsNotAValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> d.withOverride("crf.gaussian", "3", "--g"));
        assertTrue(
                e.problem().startsWith("is a section, not a value; set one of its fields: crf.gaussian.sxy,"),
                e.getMessage());
        ConfigException below =
                assertThrows(ConfigException.class, () -> d.withOverride("crf.iterations.x", "3", "--x"));
        assertTrue(below.problem().contains("crf.iterations is a value, not a section"), below.getMessage());
    }

    @Test
    void overridesApplyTogetherSoPairedFieldsCanMoveAtOnce() throws ConfigException {
        SegmentConfig c = new ConfigOverrides()
                .set("source.reconnect.initialDelayMs", "60000", "--reconnect-initial-ms")
                .set("source.reconnect.maxDelayMs", "120000", "--reconnect-max-ms")
                .applyTo(d);
        assertEquals(new ReconnectConfig(-1, 60_000, 120_000, 0.2), c.source().reconnect());
    }

    @Test
    void crossFieldConflictIsReportedOnTheOverriddenFieldWithItsFlag() throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), "source: {reconnect: {maxDelayMs: 1000}}\n");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(file, Map.of("source.reconnect.initialDelayMs", "2000")));
        assertEquals(
                "--source-reconnect-initial-delay-ms: source.reconnect.initialDelayMs = 2000:"
                        + " must be <= source.reconnect.maxDelayMs (1000)",
                e.getMessage());
    }

    @Test
    void overridesWinOverTheFileAndFixWhatTheFileAloneGetsWrong() throws Exception {
        Path file = Files.writeString(
                dir.resolve("s.yaml"),
                "crf: {iterations: 9, scale: 0.5}\nsource: {reconnect: {initialDelayMs: 60000}}\n");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("crf.iterations", "2");
        flags.put("source.reconnect.maxDelayMs", "90000");
        SegmentConfig c = ConfigLoader.load(file, flags);
        assertEquals(2, c.crf().iterations());
        assertEquals(0.5, c.crf().scale());
        assertEquals(new ReconnectConfig(-1, 60_000, 90_000, 0.2), c.source().reconnect());
    }

    @Test
    void fileErrorsKeepTheFileAsOriginWhenOverridesArePresent() throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), "overlay: {alpha: 2}\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of("crf.iterations", "2")));
        assertEquals(file + ": overlay.alpha = 2.0: must be between 0 and 1", e.getMessage());
    }

    @Test
    void mapOverridesUseTheConventionalFlagAsOrigin() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("crf.warmIterations", "101")));
        assertEquals("--crf-warm-iterations", e.origin());
    }

    @Test
    void lastSettingOfAFieldWins() throws ConfigException {
        SegmentConfig c = new ConfigOverrides()
                .set("crf.threads", "x", "--a")
                .set("crf.threads", "2", "--b")
                .applyTo(d);
        assertEquals(2, c.crf().threads());
    }
}

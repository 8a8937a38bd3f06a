package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderErrorTest {
    @TempDir
    Path dir;

    private ConfigException loadFails(String name, String content) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file.toString(), e.origin());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e;
    }

    private static void assertField(ConfigException e, String path, String value) {
        assertEquals(path, e.fieldPath(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
        assertTrue(e.getMessage().contains(": " + path + " = " + value + ": "), e.getMessage());
    }

    @Test
    void outOfRangeValueNamesFilePathValueAndRange() throws IOException {
        ConfigException e = loadFails("settings.yaml", "crf:\n  iterations: -3\n");
        assertEquals(dir.resolve("settings.yaml") + ": crf.iterations = -3: must be between 1 and 100", e.getMessage());
        assertField(e, "crf.iterations", "-3");
    }

    @Test
    void outOfRangeNestedDoubleNamesTheFullPath() throws IOException {
        ConfigException e = loadFails("s.json", "{\"crf\": {\"bilateral\": {\"srgb\": 0}}}");
        assertField(e, "crf.bilateral.srgb", "0.0");
        assertTrue(e.problem().equals("must be > 0"), e.getMessage());
    }

    @Test
    void temporalTermOutOfRangeNamesItsField() throws IOException {
        ConfigException weight = loadFails("t.yaml", "crf:\n  temporal:\n    weight: -1\n");
        assertField(weight, "crf.temporal.weight", "-1.0");
        assertEquals("must be between 0 and 100", weight.problem(), weight.getMessage());
        ConfigException srgb = loadFails("t.yaml", "crf:\n  temporal:\n    srgb: 0\n");
        assertField(srgb, "crf.temporal.srgb", "0.0");
    }

    @Test
    void nonsensicalKeyframeSettingsNameTheirField() throws IOException {
        ConfigException interval = loadFails("k.yaml", "keyframes:\n  maxInterval: 0\n");
        assertField(interval, "keyframes.maxInterval", "0");
        assertEquals("must be between 1 and 300", interval.problem(), interval.getMessage());
        ConfigException mode = loadFails("k.yaml", "keyframes:\n  mode: sometimes\n");
        assertEquals("keyframes.mode", mode.fieldPath(), mode.getMessage());
        assertTrue(mode.problem().contains("auto") && mode.problem().contains("all"), mode.getMessage());
        ConfigException share = loadFails("k.yaml", "keyframes:\n  uncertainty: 1.5\n");
        assertField(share, "keyframes.uncertainty", "1.5");
        ConfigException width = loadFails("k.json", "{\"keyframes\": {\"flowWidth\": 16}}");
        assertField(width, "keyframes.flowWidth", "16");
    }

    @Test
    void aModelBudgetOutOfRangeNamesItsField() throws IOException {
        ConfigException none = loadFails("k.yaml", "keyframes:\n  budget: 0.0\n");
        assertField(none, "keyframes.budget", "0.0");
        assertEquals("must be between 0.01 and 1", none.problem(), none.getMessage());
        ConfigException more = loadFails("k.yaml", "keyframes:\n  budget: 1.5\n");
        assertField(more, "keyframes.budget", "1.5");
        ConfigException duty = loadFails("k.json", "{\"keyframes\": {\"liveDuty\": 0.01}}");
        assertField(duty, "keyframes.liveDuty", "0.01");
        assertEquals("must be between 0.05 and 1", duty.problem(), duty.getMessage());
    }

    @Test
    void aCrfPixelLimitTooSmallToRefineAnythingNamesItsField() throws IOException {
        ConfigException small = loadFails("c.yaml", "crf:\n  maxPixels: 500\n");
        assertField(small, "crf.maxPixels", "500");
        assertEquals("must be 0 (no limit) or >= 1024", small.problem(), small.getMessage());
        ConfigException negative = loadFails("c.yaml", "crf:\n  maxPixels: -1\n");
        assertField(negative, "crf.maxPixels", "-1");
        ConfigException floor = loadFails("c.yaml", "crf:\n  minPixels: 100\n");
        assertField(floor, "crf.minPixels", "100");
        assertEquals("must be 0 (never lower the CRF grid) or >= 1024", floor.problem(), floor.getMessage());
    }

    @Test
    void unknownFieldListsValidNamesAndSuggestsTheClosest() throws IOException {
        ConfigException e = loadFails("s.yaml", "crf:\n  iteratons: 3\n");
        assertField(e, "crf.iteratons", "3");
        assertTrue(e.problem().startsWith("unknown field (did you mean 'iterations'?)"), e.getMessage());
        assertTrue(
                e.problem()
                        .contains(
                                "valid fields in crf: enabled, iterations, warmIterations, warmStart, gaussian,"
                                        + " bilateral, scale, maxPixels, minPixels, threads, backend, sceneCutThreshold, temporal, cameraMotion"),
                e.getMessage());
    }

    @Test
    void unknownTopLevelFieldListsTopLevelNames() throws IOException {
        ConfigException e = loadFails("s.yaml", "colours: {}\n");
        assertEquals("colours", e.fieldPath());
        assertTrue(
                e.problem()
                        .contains(
                                "valid top-level fields: model, inference, keyframes, crf, overlay, output, pipeline, source, listen"),
                e.getMessage());
    }

    @Test
    void kebabOrSnakeCaseSpellingIsSuggestedInCamelCase() throws IOException {
        ConfigException e = loadFails("s.yaml", "source:\n  reconnect:\n    max_delay_ms: 100\n");
        assertEquals("source.reconnect.max_delay_ms", e.fieldPath());
        assertTrue(e.problem().contains("did you mean 'maxDelayMs'?"), e.getMessage());
    }

    @Test
    void stringWhereNumberGoesIsRejectedNotCoerced() throws IOException {
        ConfigException e = loadFails("s.yaml", "crf:\n  iterations: \"3\"\n");
        assertField(e, "crf.iterations", "\"3\"");
        assertEquals("must be an integer (got a string)", e.problem());
    }

    @Test
    void floatWhereIntegerGoesIsRejected() throws IOException {
        ConfigException e = loadFails("s.json", "{\"pipeline\": {\"ringSize\": 16.0}}");
        assertField(e, "pipeline.ringSize", "16.0");
        assertEquals("must be an integer (got a number with a fraction)", e.problem());
    }

    @Test
    void nullWhereValueIsRequiredIsRejected() throws IOException {
        ConfigException e = loadFails("s.yaml", "output:\n  codec: null\n");
        assertField(e, "output.codec", "null");
        assertEquals("must be a string, not null", e.problem());
    }

    @Test
    void nullSectionIsRejected() throws IOException {
        ConfigException e = loadFails("s.yaml", "crf:\n");
        assertField(e, "crf", "null");
        assertTrue(e.problem().startsWith("must be an object with fields enabled, iterations,"), e.getMessage());
    }

    @Test
    void numberWhereBooleanGoesIsRejected() throws IOException {
        ConfigException e = loadFails("s.json", "{\"crf\": {\"enabled\": 1}}");
        assertField(e, "crf.enabled", "1");
        assertEquals("must be true or false (got an integer)", e.problem());
    }

    @Test
    void unknownEnumNameListsTheAllowedNames() throws IOException {
        ConfigException e = loadFails("s.yaml", "pipeline: {backpressure: drop_oldest}\n");
        assertField(e, "pipeline.backpressure", "\"drop_oldest\"");
        assertEquals("must be one of auto, block, drop-oldest", e.problem());
    }

    @Test
    void presetOutsideX264PresetsIsRejected() throws IOException {
        ConfigException e = loadFails("s.yaml", "output: {preset: fastest}\n");
        assertField(e, "output.preset", "\"fastest\"");
        assertTrue(e.problem().startsWith("must be one of ultrafast, superfast, veryfast,"), e.getMessage());
    }

    @Test
    void ringSizeMustBeAPowerOfTwo() throws IOException {
        ConfigException e = loadFails("s.yaml", "pipeline: {ringSize: 12}\n");
        assertField(e, "pipeline.ringSize", "12");
        assertEquals("must be a power of two between 2 and 1024", e.problem());
    }

    @Test
    void nonFiniteNumberIsRejectedAsMalformed() throws IOException {
        ConfigException e = loadFails("s.yaml", "crf: {gaussian: {weight: .inf}}\n");
        assertTrue(e.problem().startsWith("malformed YAML at line 1"), e.getMessage());
        assertTrue(e.problem().contains(".inf"), e.getMessage());
    }

    @Test
    void quotedEmptyStringIsNotNull() throws IOException {
        ConfigException e = loadFails("s.yaml", "output: {codec: ''}\n");
        assertField(e, "output.codec", "\"\"");
        assertEquals("must be a non-empty string", e.problem());
    }

    @Test
    void crossFieldConflictNamesBothFieldsOnTheOneTheFileSet() throws IOException {
        ConfigException e = loadFails("s.yaml", "source:\n  reconnect:\n    initialDelayMs: 60000\n");
        assertField(e, "source.reconnect.initialDelayMs", "60000");
        assertEquals("must be <= source.reconnect.maxDelayMs (30000)", e.problem());

        ConfigException other = loadFails("t.yaml", "source:\n  reconnect:\n    maxDelayMs: 100\n");
        assertField(other, "source.reconnect.maxDelayMs", "100");
        assertEquals("must be >= source.reconnect.initialDelayMs (500)", other.problem());
    }

    @Test
    void equalListenPortsAreRejected() throws IOException {
        ConfigException e = loadFails("s.yaml", "listen: {metricsPort: 8080, httpPreviewPort: 8080}\n");
        assertField(e, "listen.httpPreviewPort", "8080");
        assertEquals("must differ from listen.metricsPort (8080)", e.problem());
    }

    @Test
    void malformedJsonNamesTheFileAndLine() throws IOException {
        ConfigException e = loadFails("s.json", "{\n  \"crf\": {\"iterations\": 3,,}\n}");
        assertNull(e.fieldPath());
        assertTrue(e.problem().startsWith("malformed JSON at line 2, column "), e.getMessage());
    }

    @Test
    void malformedYamlNamesTheFileAndLine() throws IOException {
        ConfigException e = loadFails("s.yaml", "crf:\n  iterations: [3\n  enabled: true\n");
        assertNull(e.fieldPath());
        assertTrue(e.problem().startsWith("malformed YAML at line "), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }

    @Test
    void duplicateKeyIsMalformed() throws IOException {
        ConfigException e = loadFails("s.json", "{\"crf\": {\"iterations\": 3, \"iterations\": 4}}");
        assertTrue(e.problem().startsWith("malformed JSON"), e.getMessage());
        assertTrue(e.problem().contains("iterations"), e.getMessage());
        ConfigException yaml = loadFails("s.yaml", "crf:\n  iterations: 3\n  iterations: 4\n");
        assertTrue(yaml.problem().startsWith("malformed YAML"), yaml.getMessage());
    }

    @Test
    void topLevelThatIsNotAnObjectIsRejected() throws IOException {
        ConfigException e = loadFails("s.yaml", "- crf\n- model\n");
        assertNull(e.fieldPath());
        assertTrue(
                e.problem().startsWith("the top level must be an object with fields model, inference,"),
                e.getMessage());
        assertTrue(e.problem().endsWith("(got a list)"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nowhere.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(missing + ": file not found", e.getMessage());
    }

    @Test
    void unreadablePathIsNamed() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("folder.yaml"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(directory));
        assertEquals(directory.toString(), e.origin());
        assertTrue(e.problem().startsWith("cannot read"), e.getMessage());
    }

    @Test
    void unknownExtensionNamesTheFileAndTheAcceptedExtensions() throws IOException {
        Path file = Files.writeString(dir.resolve("settings.toml"), "x = 1");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file.toString(), e.origin());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.problem().endsWith(".json, .yaml, .yml"), e.getMessage());
    }
}

package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigFieldsTest {
    @Test
    void pathsListEveryLeafFieldInOrder() {
        assertEquals(57, ConfigFields.paths().size(), ConfigFields.paths().toString());
        assertEquals("model.path", ConfigFields.paths().get(0));
        assertEquals(
                "listen.httpPreviewPort",
                ConfigFields.paths().get(ConfigFields.paths().size() - 1));
    }

    @Test
    void flagNamesAreKebabCaseOfThePath() {
        assertEquals("--crf-iterations", ConfigFields.flagName("crf.iterations"));
        assertEquals("--crf-warm-iterations", ConfigFields.flagName("crf.warmIterations"));
        assertEquals("--source-reconnect-max-delay-ms", ConfigFields.flagName("source.reconnect.maxDelayMs"));
    }

    @Test
    void everyFieldsTextValueIsAcceptedBackByWithOverride() throws ConfigException {
        SegmentConfig d = SegmentConfig.defaults();
        for (String path : ConfigFields.paths()) {
            assertEquals(d, d.withOverride(path, ConfigFields.valueOf(d, path), "--" + path), path);
        }
        assertEquals(
                "drop-oldest",
                ConfigFields.valueOf(
                        d.withPipeline(new PipelineConfig(16, Backpressure.DROP_OLDEST)), "pipeline.backpressure"));
        assertEquals("", ConfigFields.valueOf(d, "model.path"));
        assertThrows(IllegalArgumentException.class, () -> ConfigFields.valueOf(d, "crf"));
    }
}

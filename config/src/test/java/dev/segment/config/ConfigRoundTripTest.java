package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRoundTripTest {
    @TempDir
    Path dir;

    private static SegmentConfig everythingChanged() {
        return new SegmentConfig(
                new ModelConfig("models/deeplab.pb"),
                new InferenceConfig(true, 3),
                new KeyframeConfig(KeyframeMode.ALL, 30, 20.0, 0.5, 0.6, 0.7, MotionModel.GLOBAL, 480, 0.3, 0.4),
                new CrfConfig(
                        true,
                        10,
                        2,
                        false,
                        new GaussianKernel(1.5, 2.0),
                        new BilateralKernel(60.0, 10.0, 5.0),
                        0.5,
                        250_000,
                        20_000,
                        2,
                        CrfBackend.CUDA,
                        0.6,
                        new TemporalKernel(3.5, 12.0),
                        12),
                new OverlayConfig(0.75, false, OverlayStyle.BLEND, true),
                new OutputConfig("libx265", 28, "slow", "masks", "stats.jsonl", 60.0),
                new PipelineConfig(64, Backpressure.DROP_OLDEST),
                new SourceConfig(
                        Transport.UDP, 2_000, 1_000, true, 10, 100, 12.5, new ReconnectConfig(5, 100, 1_000, 0.0)),
                new ListenConfig("0.0.0.0", 9100, 8080));
    }

    @Test
    void defaultsWrittenAsYamlLoadBackEqual() throws Exception {
        String yaml = ConfigWriter.toYaml(SegmentConfig.defaults());
        assertTrue(yaml.contains("backpressure: auto"), yaml);
        Path file = Files.writeString(dir.resolve("defaults.yaml"), yaml);
        assertEquals(SegmentConfig.defaults(), ConfigLoader.load(file));
    }

    @Test
    void everyChangedFieldSurvivesYamlAndJson() throws Exception {
        SegmentConfig config = everythingChanged();
        Path yaml = Files.writeString(dir.resolve("all.yml"), ConfigWriter.toYaml(config));
        Path json = Files.writeString(dir.resolve("all.json"), ConfigWriter.toJson(config));
        assertEquals(config, ConfigLoader.load(yaml));
        assertEquals(config, ConfigLoader.load(json));
    }

    @Test
    void everyFieldOfTheChangedConfigDiffersFromTheDefault() {
        // Keeps the round trip above meaningful: a field left at its default would not prove it is written.
        SegmentConfig d = SegmentConfig.defaults();
        for (String path : ConfigFields.paths()) {
            assertTrue(!ConfigFields.valueOf(d, path).equals(ConfigFields.valueOf(everythingChanged(), path)), path);
        }
    }
}

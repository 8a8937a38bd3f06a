package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderMergeTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void partialYamlKeepsEveryOtherDefault() throws Exception {
        SegmentConfig loaded = ConfigLoader.load(write("settings.yaml", "crf: {iterations: 3}\n"));
        SegmentConfig d = SegmentConfig.defaults();
        assertEquals(3, loaded.crf().iterations());
        CrfConfig expectedCrf = new CrfConfig(
                d.crf().enabled(),
                3,
                d.crf().warmIterations(),
                d.crf().warmStart(),
                d.crf().gaussian(),
                d.crf().bilateral(),
                d.crf().scale(),
                d.crf().maxPixels(),
                d.crf().minPixels(),
                d.crf().threads(),
                d.crf().backend(),
                d.crf().sceneCutThreshold(),
                d.crf().temporal(),
                d.crf().cameraMotion());
        assertEquals(d.withCrf(expectedCrf), loaded);
    }

    @Test
    void partialJsonMergesNestedSectionsFieldByField() throws Exception {
        Path file = write("settings.json", """
        {"crf": {"enabled": true, "bilateral": {"srgb": 13}, "backend": "cpu"},
         "pipeline": {"backpressure": "drop-oldest"},
         "source": {"reconnect": {"maxAttempts": 4}},
         "output": {"masksDir": "out/masks"}}
        """);
        SegmentConfig loaded = ConfigLoader.load(file);
        SegmentConfig d = SegmentConfig.defaults();
        assertEquals(true, loaded.crf().enabled());
        assertEquals(new BilateralKernel(50.0, 13.0, 4.0), loaded.crf().bilateral());
        assertEquals(d.crf().gaussian(), loaded.crf().gaussian());
        assertEquals(CrfBackend.CPU, loaded.crf().backend());
        assertEquals(Backpressure.DROP_OLDEST, loaded.pipeline().backpressure());
        assertEquals(new ReconnectConfig(4, 500, 30_000, 0.2), loaded.source().reconnect());
        assertEquals(d.source().transport(), loaded.source().transport());
        assertEquals("out/masks", loaded.output().masksDir());
        assertEquals(d.output().codec(), loaded.output().codec());
        assertEquals(d.listen(), loaded.listen());
    }

    @Test
    void ymlExtensionAndUpperCaseExtensionAreYaml() throws Exception {
        assertEquals(
                8,
                ConfigLoader.load(write("a.yml", "pipeline:\n  ringSize: 8\n"))
                        .pipeline()
                        .ringSize());
        assertEquals(
                0.25,
                ConfigLoader.load(write("b.YAML", "overlay:\n  alpha: 0.25\n"))
                        .overlay()
                        .alpha());
    }

    @Test
    void emptyOrCommentOnlyFilesGiveTheDefaults() throws Exception {
        assertEquals(SegmentConfig.defaults(), ConfigLoader.load(write("empty.yaml", "")));
        assertEquals(SegmentConfig.defaults(), ConfigLoader.load(write("comments.yaml", "# nothing set\n")));
        assertEquals(SegmentConfig.defaults(), ConfigLoader.load(write("empty.json", "{}")));
    }

    @Test
    void integerWhereNumberGoesIsAccepted() throws Exception {
        SegmentConfig loaded = ConfigLoader.load(write("ints.yaml", "crf:\n  gaussian: {sxy: 2}\n  scale: 1\n"));
        assertEquals(2.0, loaded.crf().gaussian().sxy());
        assertEquals(1.0, loaded.crf().scale());
    }

    @Test
    void optionalFieldMayBeSetBackToNull() throws Exception {
        SegmentConfig loaded = ConfigLoader.load(write("n.yaml", "model: {path: ~}\noutput: {statsFile: null}\n"));
        assertEquals(null, loaded.model().path());
        assertEquals(null, loaded.output().statsFile());
    }

    @Test
    void parseReadsTextWithTheSameRules() throws Exception {
        SegmentConfig loaded = ConfigLoader.parse("listen: {metricsPort: 9100}", ConfigFormat.YAML, "job-parameter");
        assertEquals(9100, loaded.listen().metricsPort());
    }
}

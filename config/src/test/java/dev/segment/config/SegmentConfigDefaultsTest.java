package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentConfigDefaultsTest {
    private final SegmentConfig d = SegmentConfig.defaults();

    @Test
    void defaultsMatchTheDocumentedValues() {
        assertNull(d.model().path());
        assertFalse(d.inference().unpadded(), "padded is the default: unpadded moves labels on some frames");
        assertEquals(0, d.inference().threads());

        CrfConfig crf = d.crf();
        assertFalse(crf.enabled());
        assertEquals(5, crf.iterations());
        assertEquals(1, crf.warmIterations());
        assertTrue(crf.warmStart());
        assertEquals(new GaussianKernel(3.0, 3.0), crf.gaussian());
        assertEquals(new BilateralKernel(50.0, 5.0, 4.0), crf.bilateral());
        assertEquals(1.0, crf.scale());
        assertEquals(192 * 108, crf.maxPixels());
        assertEquals(1.0 / 4, crf.scaleFor(768, 432), 1e-12, "a 768x432 frame is refined on a 192x108 grid");
        assertEquals(1.0, crf.scaleFor(160, 120), "a frame within the limit is refined at its own size");
        assertEquals(192.0 / 1920, crf.scaleFor(1920, 1080), 1e-12);
        assertEquals(160 * 90, crf.minPixels());
        assertTrue(crf.adapts(), "a live source's CRF may go down to 160x90 to keep up with the camera");
        assertEquals(160.0 / 768, crf.scaleFor(768, 432, crf.minPixels()), 1e-12, "768x432 at the floor: 160x90");
        assertFalse(crf.withMinPixels(crf.maxPixels()).adapts(), "a floor at the limit: no adaptation");
        assertFalse(crf.withMinPixels(0).adapts());
        assertTrue(crf.withMaxPixels(0).adapts(), "no limit: the frame's own size down to the floor");
        assertEquals(0, crf.threads());
        assertEquals(CrfBackend.AUTO, crf.backend());
        assertEquals(0.5, crf.sceneCutThreshold());
        assertEquals(new TemporalKernel(2.0, 10.0), crf.temporal());
        assertEquals(32, crf.cameraMotion());

        assertEquals(new OverlayConfig(0.5, true, OverlayStyle.OUTLINE, false), d.overlay());
        assertEquals(new OutputConfig("libx264", 23, "veryfast", null, null, 0), d.output());
        assertEquals(new PipelineConfig(16, Backpressure.AUTO), d.pipeline());

        SourceConfig source = d.source();
        assertEquals(Transport.TCP, source.transport());
        assertEquals(10_000, source.openTimeoutMs());
        assertEquals(5_000, source.readTimeoutMs());
        assertFalse(source.realtime());
        assertEquals(0, source.startFrame());
        assertEquals(-1, source.maxFrames());
        assertEquals(0.0, source.durationSeconds());
        assertEquals(new ReconnectConfig(-1, 500, 30_000, 0.2), source.reconnect());

        assertEquals(new ListenConfig("127.0.0.1", 0, 0), d.listen());
    }

    @Test
    void defaultsAreEqualEachTimeAndLoadingNothingGivesThem() throws ConfigException {
        assertEquals(d, SegmentConfig.defaults());
        assertEquals(d, ConfigLoader.load(null, java.util.Map.of()));
    }

    @Test
    void enumsUseLowerCaseHyphenatedNames() {
        assertEquals("drop-oldest", Backpressure.DROP_OLDEST.configName());
        assertEquals("cuda", CrfBackend.CUDA.configName());
        assertEquals("udp", Transport.UDP.configName());
    }
}

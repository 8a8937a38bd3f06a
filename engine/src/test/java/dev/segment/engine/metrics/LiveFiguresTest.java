package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.preview.PreviewFigures;
import dev.segment.engine.FrameReport;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.PipelineListener;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preview page's figures are the metrics' and the last frame's, not a second count of their own. */
class LiveFiguresTest {

    private static FrameReport frame(long index, long latencyMillis, long person, boolean model) {
        long[] classes = new long[21];
        classes[0] = 1000 - person;
        classes[15] = person;
        classes[7] = 1; // 0.1%: below the share a class needs to be "in view"
        classes[0] -= 1;
        return new FrameReport(
                index,
                index * 40_000,
                50,
                20,
                classes,
                new long[5],
                new long[5],
                latencyMillis * 1_000_000,
                1,
                true,
                40,
                16,
                new FrameReport.Keyframe(
                        model, model ? KeyframeReason.INTERVAL : KeyframeReason.CARRIED, 0, 0, 1, 0, 0));
    }

    @Test
    void figuresFollowTheFramesAndTheMetrics() {
        PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry());
        LatencyPercentiles latency = new LatencyPercentiles();
        LiveFigures figures = new LiveFigures(metrics, latency);
        PipelineListener all = PipelineListener.all(List.of(metrics, latency, figures));
        all.onStart(new VideoInfo(50, 20, 25, -1, 0, 0, true, "cam"));

        PreviewFigures before = figures.now();
        assertEquals(0, before.framesOut());
        assertNull(before.latencyP50Ms(), "no latency before the first frame");
        assertNull(before.crf());
        assertNull(before.connected(), "a source that reports no connection is a file");

        metrics.connected(new VideoInfo(50, 20, 25, -1, 0, 0, true, "cam"), 0);
        for (int i = 0; i < 100; i++) {
            all.onFrame(frame(i, i < 50 ? 10 : 30 + i, 250, i % 4 == 0));
        }
        all.onDrop(3);
        PreviewFigures f = figures.now();
        assertEquals(100, f.framesOut());
        assertEquals(3, f.dropped());
        assertEquals(10.0, f.latencyP50Ms(), 0.01, "within HdrHistogram's 0.1%");
        assertEquals(128.0, f.latencyP99Ms(), 0.128);
        assertEquals(
                List.of("background", "person"),
                f.classes().stream().map(PreviewFigures.ClassShare::name).toList(),
                "largest first, a class under 0.2% left out");
        assertEquals(0.25, f.classes().get(1).share(), 1e-9);
        assertEquals("#c08080", f.classes().get(1).color());
        assertEquals(new PreviewFigures.Crf(true, 40, 16, 1, true), f.crf());
        assertFalse(f.keyframe().model(), "the last frame (99) was carried");
        assertEquals("carried", f.keyframe().reason());
        assertEquals(25, f.keyframe().modelFrames());
        assertEquals(75, f.keyframe().carriedFrames());
        assertTrue(f.connected());

        all.onFrame(frame(100, 10, 600, true));
        metrics.disconnected("lost");
        PreviewFigures later = figures.now();
        assertEquals(0.6, later.classes().get(0).share(), 1e-9, "person now the largest");
        assertTrue(later.keyframe().model());
        assertEquals("interval", later.keyframe().reason());
        assertFalse(later.connected());
    }
}

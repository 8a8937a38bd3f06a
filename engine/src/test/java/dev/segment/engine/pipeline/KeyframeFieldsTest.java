package dev.segment.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.engine.FrameReport;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.metrics.MetricsServer;
import dev.segment.engine.metrics.PipelineMetrics;
import dev.segment.engine.metrics.PrometheusScrape;
import dev.segment.testing.SystemTest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyframe fields mean one thing everywhere: {@code keyframe} is true exactly when the model's own scores were
 * used, {@code model_asked} says which frames asked for the model (a live frame asks while its scores are carried,
 * the model running beside the stream), and the Prometheus counters add up: keyframes + carried = frames out.
 */
class KeyframeFieldsTest {
    @TempDir
    Path dir;

    private static FrameReport frame(long index, boolean model, KeyframeReason reason) {
        return new FrameReport(
                index,
                index * 40_000,
                4,
                2,
                new long[] {8},
                new long[FrameReport.Stage.values().length],
                new long[5],
                1_000_000,
                0,
                false,
                0,
                0,
                new FrameReport.Keyframe(model, reason, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    }

    private static final List<FrameReport> FRAMES = List.of(
            frame(0, true, KeyframeReason.START), // the model ran on it
            frame(1, false, KeyframeReason.CARRIED), // carried, asked nothing
            frame(2, false, KeyframeReason.INTERVAL), // live: asked, the model ran beside the stream, scores carried
            frame(3, false, KeyframeReason.CHANGE), // live: asked while the model was busy
            frame(4, true, KeyframeReason.CUT)); // a cut: the model ran on it

    @Test
    void statisticsSayWhetherTheModelsScoresWereUsedAndSeparatelyWhoAsked() throws Exception {
        Path stats = dir.resolve("s.jsonl");
        try (StatsWriter w = new StatsWriter(stats, List.of("background"), 100, null)) {
            FRAMES.forEach(w::onFrame);
        }
        List<String> lines = Files.readAllLines(stats);
        assertTrue(lines.get(0).contains("\"frame\":100,"), "numbered from the input's first frame: " + lines.get(0));
        assertTrue(
                lines.get(0).contains("\"keyframe\":true,\"keyframe_reason\":\"start\",\"model_asked\":\"start\""),
                lines.get(0));
        assertTrue(lines.get(1).contains("\"keyframe\":false,\"keyframe_reason\":\"carried\""), lines.get(1));
        assertFalse(lines.get(1).contains("model_asked"), lines.get(1));
        assertTrue(
                lines.get(2)
                        .contains(
                                "\"keyframe\":false,\"keyframe_reason\":\"carried\",\"model_asked\":" + "\"interval\""),
                lines.get(2));
        assertTrue(
                lines.get(3)
                        .contains("\"keyframe\":false,\"keyframe_reason\":\"carried\",\"model_asked\":" + "\"change\""),
                lines.get(3));
        for (String line : lines) {
            boolean keyframe = line.contains("\"keyframe\":true");
            assertEquals(keyframe, !line.contains("\"keyframe_reason\":\"carried\""), "one meaning: " + line);
        }
    }

    @Test
    void photoLinesNameTheirFile() throws Exception {
        Path stats = dir.resolve("p.jsonl");
        try (StatsWriter w = new StatsWriter(stats, List.of("background"), 0, i -> "photos/\"" + i + "\".jpg")) {
            w.onFrame(frame(0, true, KeyframeReason.ALL));
        }
        assertTrue(
                Files.readString(stats).startsWith("{\"frame\":0,\"photo\":\"photos/\\\"0\\\".jpg\","),
                Files.readString(stats));
    }

    @SystemTest
    @Test
    void prometheusCountersAddUpToTheFramesOut() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        FRAMES.forEach(metrics::onFrame);
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            PrometheusScrape s = PrometheusScrape.fetch(server.url());
            double keyframes = s.value("segment_keyframes_total", "reason=\"start\"")
                    + s.value("segment_keyframes_total", "reason=\"cut\"");
            assertEquals(2, keyframes);
            assertEquals(3, s.value("segment_carried_frames_total"));
            assertEquals(s.value("segment_frames_out_total"), keyframes + s.value("segment_carried_frames_total"));
            assertEquals(1, s.value("segment_model_asked_total", "reason=\"interval\""));
            assertEquals(1, s.value("segment_model_asked_total", "reason=\"change\""));
            assertEquals(1, s.value("segment_model_asked_total", "reason=\"start\""));
        }
    }
}

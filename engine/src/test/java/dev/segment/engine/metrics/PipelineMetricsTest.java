package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.engine.PipelineSummary;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.support.ConstantSegmenter;
import dev.segment.engine.support.RecordingSink;
import dev.segment.engine.support.SyntheticSource;
import dev.segment.testing.SystemTest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real pipeline feeding the metrics, scraped over HTTP while it runs and after it ends. */
@SystemTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineMetricsTest {
    /** 6 s of camera: long enough to scrape mid-run even when a loaded machine makes a scrape take a second. */
    private static final int FRAMES = 300;

    @Test
    void slowLivePipelineShowsDropsStageTimesAndLatencyInTheScrape() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        // 50 fps camera, 40 ms inference: about half the frames must be dropped at the source.
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            PrometheusScrape.fetch(server.url()); // first scrape pays class loading and connection set-up
            Pipeline p = Pipeline.builder()
                    .source(new SyntheticSource(64, 48, FRAMES, true, 50))
                    .segmenter((w, h) -> new ConstantSegmenter(15, 40))
                    .sink(new RecordingSink())
                    .listener(metrics)
                    .start();
            metrics.bind(p);
            // Scrape while the run lasts (not a fixed count: on a loaded machine a scrape can take longer than the
            // run).
            double maxOccupancy = 0;
            while (!p.isDone() && maxOccupancy < 1) {
                maxOccupancy = Math.max(
                        maxOccupancy, PrometheusScrape.fetch(server.url()).value("segment_ring_occupancy"));
                Thread.sleep(10);
            }
            assertTrue(maxOccupancy >= 1, "frames in flight while running");
            PipelineSummary summary = p.await(30, TimeUnit.SECONDS);
            PrometheusScrape s = PrometheusScrape.fetch(server.url());
            assertEquals(summary.framesOut(), s.value("segment_frames_out_total"));
            assertEquals(summary.framesDropped(), s.value("segment_frames_dropped_total"));
            assertEquals(FRAMES, s.value("segment_frames_in_total"));
            assertTrue(
                    summary.framesDropped() > 20,
                    "a pipeline at half the camera rate drops, got " + summary.framesDropped());
            assertEquals(summary.framesOut(), s.value("segment_stage_seconds_count", "stage=\"infer\""));
            assertTrue(s.value("segment_stage_seconds_sum", "stage=\"infer\"") > 0, "inference time adds up");
            assertEquals(summary.framesOut(), s.value("segment_capture_to_output_seconds_count"));
            // keyframes off (the builder's default): every frame counts as a model frame with reason "all"
            assertEquals(summary.framesOut(), s.value("segment_keyframes_total", "reason=\"all\""));
            assertEquals(0, s.value("segment_carried_frames_total"));
            assertEquals(0, s.value("segment_crf_grid_width"), "no CRF stage");
            assertHistogramHoldsEveryFrame(s, "segment_capture_to_output_seconds", summary.framesOut());
            assertTrue(s.value("segment_output_fps") > 0, "frames came out");
            assertEquals(0, s.value("segment_ring_occupancy"));
            assertEquals(metrics.framesOut(), (long) s.value("segment_frames_out_total"));
        }
    }

    /** Buckets that never shrink from one bound to the next, the last (+Inf) holding every frame, a positive sum. */
    private static void assertHistogramHoldsEveryFrame(PrometheusScrape s, String histogram, long frames) {
        String prefix = histogram + "_bucket{le=\"";
        List<Map.Entry<Double, Double>> buckets = s.samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(e -> Map.entry(
                        bound(e.getKey().substring(prefix.length(), e.getKey().length() - 2)), e.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .toList();
        assertFalse(buckets.isEmpty(), "no buckets of " + histogram + " in " + s.samples.keySet());
        for (int i = 1; i < buckets.size(); i++) {
            assertTrue(buckets.get(i).getValue() >= buckets.get(i - 1).getValue(), histogram + " buckets " + buckets);
        }
        Map.Entry<Double, Double> last = buckets.get(buckets.size() - 1);
        assertEquals(Double.POSITIVE_INFINITY, last.getKey(), histogram + " has a +Inf bucket");
        assertEquals(frames, last.getValue(), histogram + ": every frame in the +Inf bucket");
        assertTrue(s.value(histogram + "_sum") > 0, histogram + "_sum");
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}

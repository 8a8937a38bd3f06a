package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.engine.PipelineSummary;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.support.ConstantSegmenter;
import dev.segment.engine.support.RecordingSink;
import dev.segment.engine.support.SyntheticSource;
import dev.segment.testing.SystemTest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
            double inferMean = s.value("segment_stage_seconds_sum", "stage=\"infer\"")
                    / s.value("segment_stage_seconds_count", "stage=\"infer\"");
            assertTrue(inferMean >= 0.039 && inferMean < 0.2, "infer takes the segmenter's 40 ms, got " + inferMean);
            assertEquals(summary.framesOut(), s.value("segment_capture_to_output_seconds_count"));
            // keyframes off (the builder's default): every frame counts as a model frame with reason "all"
            assertEquals(summary.framesOut(), s.value("segment_keyframes_total", "reason=\"all\""));
            assertEquals(0, s.value("segment_carried_frames_total"));
            assertEquals(0, s.value("segment_crf_grid_width"), "no CRF stage");
            double latencyCount = s.value("segment_capture_to_output_seconds_count");
            double within320ms = s.value("segment_capture_to_output_seconds_bucket", "le=\"0.32\"");
            System.out.printf(
                    "capture-to-output: %.0f of %.0f frames within 320 ms, mean %.3f s%n",
                    within320ms, latencyCount, s.value("segment_capture_to_output_seconds_sum") / latencyCount);
            // 3 frames in flight x 40 ms: about 120 ms; the bucket above 160 ms is generous for a loaded 2-core
            // machine.
            assertTrue(within320ms >= latencyCount / 2, "drop-when-full keeps latency bounded: median above 320 ms");
            double fps = s.value("segment_output_fps");
            // At most one frame per 40 ms stage; how far below depends on the machine's load, so only > 0 is checked.
            assertTrue(fps > 0 && fps < 26, "output fps between 0 and 1/40 ms, got " + fps);
            assertEquals(0, s.value("segment_ring_occupancy"));
            assertEquals(metrics.framesOut(), (long) s.value("segment_frames_out_total"));
        }
    }
}

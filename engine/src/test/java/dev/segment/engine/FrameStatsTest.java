package dev.segment.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One frame's statistics as one JSON object: names, order and decimals of the statistics files. */
class FrameStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FrameReport report() {
        long[] pixels = new long[21];
        pixels[0] = 600;
        pixels[7] = 200; // car
        pixels[15] = 200; // person
        return new FrameReport(
                3,
                125_000,
                40,
                25,
                pixels,
                new long[] {1_837_000, 148_333_333, 112_101_000, 7_500_000, 59_788_400},
                new long[] {1_000_000, 140_000_000, 100_000_000, 7_000_000, 20_000_000},
                1_071_182_400,
                5,
                true,
                256,
                144,
                new FrameReport.Keyframe(true, KeyframeReason.CHANGE, 17.204, -0.156, 6.375, 0.06984, 0.41249));
    }

    @Test
    void writesTheStatisticsLineFieldsInOrderWithFixedDecimals() throws Exception {
        FrameStats stats =
                FrameStats.of(report(), 103, null, List.of("background", "a", "b", "c", "d", "e", "f", "car"));
        assertEquals(
                "{\"frame\":103,\"pts_ms\":125.000,\"fractions\":{\"background\":0.600000,\"car\":0.200000,"
                        + "\"class15\":0.200000},\"ms\":{\"decode\":1.837,\"infer\":148.333,\"propagate\":112.101,"
                        + "\"crf\":7.500,\"encode\":59.788},\"cpu_ms\":{\"decode\":1.000,\"infer\":140.000,"
                        + "\"propagate\":100.000,\"crf\":7.000,\"encode\":20.000},\"latency_ms\":1071.182,\"crf_iterations\":5,"
                        + "\"crf_warm\":true,\"crf_grid\":[256,144],\"keyframe\":true,\"keyframe_reason\":\"change\","
                        + "\"model_asked\":\"change\",\"motion_px\":[17.20,-0.16],\"residual\":6.38,"
                        + "\"untrusted\":0.0698,\"change\":0.4125}",
                JSON.writeValueAsString(stats));
    }

    @Test
    void unmeasuredFieldsAndPhotoAreLeftOutOrPresentAsTheFrameSays() throws Exception {
        FrameReport r = report();
        FrameReport carried = new FrameReport(
                r.index(),
                r.ptsMicros(),
                r.width(),
                r.height(),
                r.classPixels(),
                r.stageNanos(),
                r.stageCpuNanos(),
                r.latencyNanos(),
                0,
                false,
                0,
                0,
                new FrameReport.Keyframe(
                        false, KeyframeReason.CARRIED, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        String line = JSON.writeValueAsString(FrameStats.of(carried, 0, "a/\"b\".jpg", List.of("background")));
        assertEquals(
                "{\"frame\":0,\"photo\":\"a/\\\"b\\\".jpg\",\"pts_ms\":125.000,\"fractions\":{\"background\":0.600000,"
                        + "\"class15\":0.200000,\"class7\":0.200000},\"ms\":{\"decode\":1.837,\"infer\":148.333,"
                        + "\"propagate\":112.101,\"crf\":7.500,\"encode\":59.788},\"cpu_ms\":{\"decode\":1.000,"
                        + "\"infer\":140.000,\"propagate\":100.000,\"crf\":7.000,\"encode\":20.000},\"latency_ms\":1071.182,"
                        + "\"crf_iterations\":0,\"crf_warm\":false,\"keyframe\":false,\"keyframe_reason\":\"carried\"}",
                line);
    }

    @Test
    void readsBackAndKeepsClassAndStageOrderFromHashMaps() throws Exception {
        FrameStats stats = FrameStats.of(report(), 3, null, List.of("background", "a", "b", "c", "d", "e", "f", "car"));
        FrameStats back = JSON.readValue(JSON.writeValueAsString(stats), FrameStats.class);
        assertEquals(
                stats.fractions().keySet().stream().toList(),
                List.copyOf(back.fractions().keySet()));
        assertEquals(stats.frame(), back.frame());
        assertEquals(stats.motionPx().get(0), back.motionPx().get(0), 0.005);
        assertEquals(stats.crfGrid(), back.crfGrid());

        Map<String, Double> hashed = new HashMap<>();
        for (String name : List.of("tvmonitor", "person", "background", "aeroplane", "car")) {
            hashed.put(name, 0.2);
        }
        Map<String, Double> stages = new HashMap<>(stats.ms());
        FrameStats copy = new FrameStats(
                0, null, 0, hashed, stages, stages, 0, 0, false, null, true, "start", "start", null, null, null, null);
        assertEquals(
                List.of("background", "aeroplane", "car", "person", "tvmonitor"),
                List.copyOf(copy.fractions().keySet()));
        assertEquals(
                List.of("decode", "infer", "propagate", "crf", "encode"),
                List.copyOf(copy.ms().keySet()));
    }
}

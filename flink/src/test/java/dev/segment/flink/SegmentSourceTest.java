package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segment.flink.internal.StreamSplit;
import dev.segment.flink.internal.StreamSplitSerializer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;

class SegmentSourceTest {
    private static JobSettings settings() throws Exception {
        return JobSettings.of(null, Map.of("model.path", "/models/graph.pb"), Path.of("/out"));
    }

    @Test
    void outputNamesAreDistinctAndSafe() throws Exception {
        SegmentSource source = SegmentSource.of(
                List.of(
                        "/a/day.mp4",
                        "/b/day.mkv",
                        "/c/DAY.avi",
                        "rtsp://user:pw@cam:554/stream 1?x=y",
                        "rtsp://cam2/"),
                settings());
        assertEquals(
                List.of("day.mp4", "day-2.mp4", "DAY-3.mp4", "stream_1.mp4", "camera-4.mp4"),
                List.copyOf(source.outputNames().values()));
    }

    @Test
    void boundedOnlyWhenEveryInputIsAFile() throws Exception {
        assertEquals(
                Boundedness.BOUNDED,
                SegmentSource.of(List.of("/a.mp4", "/b.mp4"), settings()).getBoundedness());
        assertEquals(
                Boundedness.CONTINUOUS_UNBOUNDED,
                SegmentSource.of(List.of("/a.mp4", "rtsp://cam/1"), settings()).getBoundedness());
    }

    @Test
    void splitsAndPendingListsSurviveTheirCheckpointFormat() throws Exception {
        StreamSplit split = new StreamSplit("3", "rtsp://cam/ü", "cam.mp4", true, 1234);
        StreamSplitSerializer s = StreamSplitSerializer.INSTANCE;
        assertEquals(split, s.deserialize(s.getVersion(), s.serialize(split)));
        List<StreamSplit> pending = List.of(split, new StreamSplit("4", "/a.mp4", "a.mp4", false, 0));
        StreamSplitSerializer.Pending p = StreamSplitSerializer.Pending.INSTANCE;
        assertEquals(pending, p.deserialize(p.getVersion(), p.serialize(pending)));
    }

    @Test
    void settingsCarryTheConfigurationToTheWorkers() throws Exception {
        JobSettings settings =
                JobSettings.of(null, Map.of("model.path", "/models/graph.pb", "crf.enabled", "true"), Path.of("/out"));
        JobSettings copy = org.apache.flink.util.InstantiationUtil.clone(settings);
        assertEquals("/models/graph.pb", copy.loadConfig().model().path());
        assertEquals(true, copy.loadConfig().crf().enabled());
    }
}

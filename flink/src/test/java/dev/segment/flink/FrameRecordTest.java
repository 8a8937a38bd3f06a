package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameStats;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.flink.internal.JsonValueSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A frame record carries the statistics line of its frame, and Flink moves it without Kryo. */
class FrameRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FrameReport report() {
        long[] pixels = new long[21];
        pixels[0] = 700;
        pixels[15] = 200; // person
        pixels[7] = 100; // car
        return new FrameReport(
                4,
                166_667,
                40,
                25,
                pixels,
                new long[] {1_000_000, 2_000_000, 3_000_000, 0, 4_000_000},
                new long[5],
                50_000_000,
                0,
                false,
                0,
                0,
                new FrameReport.Keyframe(false, KeyframeReason.CARRIED, 1.5, -0.25, 3.0, 0.01, 0.2));
    }

    @Test
    void theStatsOfAFrameRecordAreTheStatisticsLine() throws Exception {
        FrameRecord r = FrameRecord.frame("in.mp4", "out/in.mp4", 14, report(), Pipelines.classNames(), 1);
        JsonNode json = JSON.readTree(new JsonValueSchema<FrameRecord>().serialize(r));
        String statsLine = JSON.writeValueAsString(FrameStats.of(report(), 14, null, Pipelines.classNames()));
        assertEquals(JSON.readTree(statsLine), json.get("stats"));
        assertEquals(List.of("kind", "input", "output", "worker", "stats"), fieldNames(json));
        assertTrue(
                new String(new JsonValueSchema<FrameRecord>().serialize(r), StandardCharsets.UTF_8)
                        .contains("\"fractions\":{\"background\":0.700000,\"car\":0.100000,\"person\":0.200000}"),
                "class id order, six decimals");
    }

    @Test
    void endRecordsHaveTheirOwnFields() throws Exception {
        JsonNode complete = JSON.readTree(new String(
                new JsonValueSchema<FrameRecord>().serialize(FrameRecord.complete("in.mp4", "o.mp4", 9, 0)),
                StandardCharsets.UTF_8));
        assertEquals(List.of("kind", "input", "output", "worker", "frames"), fieldNames(complete));
        JsonNode failed =
                JSON.readTree(new JsonValueSchema<FrameRecord>().serialize(FrameRecord.failed("x", "bad", 0)));
        assertEquals(List.of("kind", "input", "worker", "error"), fieldNames(failed));
        FrameRecord back = JSON.readValue(complete.toString(), FrameRecord.class);
        assertEquals(9L, back.frames);
        assertNull(back.stats);
    }

    @Test
    void flinkSerializesItAsAPojoAndKeepsTheOrderOfClassesAndStages() throws Exception {
        TypeInformation<FrameRecord> type = TypeInformation.of(FrameRecord.class);
        PojoTypeInfo<FrameRecord> pojo = assertInstanceOf(PojoTypeInfo.class, type);
        assertInstanceOf(PojoTypeInfo.class, pojo.getTypeAt("stats"), "FrameStats without Kryo");
        TypeSerializer<FrameRecord> serializer = type.createSerializer(new SerializerConfigImpl());
        FrameRecord r = FrameRecord.frame("in.mp4", "out/in.mp4", 14, report(), Pipelines.classNames(), 1);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(r, out);
        FrameRecord back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(r, back);
        assertEquals(JSON.writeValueAsString(r), JSON.writeValueAsString(back), "same JSON, same key order");
        FrameRecord end = serializer.copy(FrameRecord.complete("in.mp4", "o.mp4", 9, 0));
        assertEquals(9L, end.frames);
        assertNull(end.stats);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

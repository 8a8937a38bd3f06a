package dev.segment.serve.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void shouldWriteTheDocumentedFieldsWithIsoTimesAndLowerCaseTypes() throws Exception {
        Event e = new Event(
                "door/person-at-door/1796650200123",
                "door",
                "person-at-door",
                Event.Type.START,
                "entry",
                List.of("person"),
                0.031,
                0.042,
                Instant.parse("2026-12-07T13:30:00.123Z"),
                Instant.parse("2026-12-07T13:30:01Z"),
                "/snapshots/door-1.jpg",
                12.5,
                13.7);

        String json = EventJson.toJson(e);
        JsonNode tree = PLAIN.readTree(json);

        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertEquals(
                List.of(
                        "id",
                        "camera",
                        "rule",
                        "type",
                        "zone",
                        "classes",
                        "share",
                        "peakShare",
                        "start",
                        "time",
                        "snapshot",
                        "streamStart",
                        "streamTime"),
                names);
        assertEquals("start", tree.get("type").asText());
        assertEquals("2026-12-07T13:30:00.123Z", tree.get("start").asText());
        assertEquals("2026-12-07T13:30:01.000Z", tree.get("time").asText(), "always three fraction digits");
        assertEquals("person", tree.get("classes").get(0).asText());
        assertEquals(0.031, tree.get("share").asDouble());
        assertTrue(!json.contains("\n"), "one line: " + json);
    }

    @Test
    void shouldWriteNullZoneAndSnapshotForAWholeFrameRuleWithoutSnapshot() throws Exception {
        Event e = new Event(
                "a/b/1",
                "a",
                "b",
                Event.Type.END,
                null,
                List.of("car", "bus"),
                0,
                0.5,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                0,
                0);

        JsonNode tree = PLAIN.readTree(EventJson.toJson(e));

        assertTrue(tree.has("zone") && tree.get("zone").isNull());
        assertTrue(tree.has("snapshot") && tree.get("snapshot").isNull());
        assertEquals("end", tree.get("type").asText());
        assertEquals("1970-01-01T00:00:00.000Z", tree.get("start").asText());
    }

    @Test
    void shouldReadBackWhatItWroteIgnoringUnknownFields() {
        Event e = TestEvents.event("door", 4);

        assertEquals(e, EventJson.fromJson(EventJson.toJson(e)));
        String withExtra = EventJson.toJson(e).replaceFirst("\\{", "{\"future\":1,");
        assertEquals(e, EventJson.fromJson(withExtra));
    }

    @Test
    void shouldNameTheBadTimeWhenReading() {
        String bad = EventJson.toJson(TestEvents.event("door", 1)).replace("2026-12-07T13:30:01.123Z", "yesterday");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventJson.fromJson(bad));

        assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
    }
}

package dev.segment.serve.events;

import java.time.Instant;
import java.util.List;

/** Events for the sinks' tests: event {@code i} of a camera, with times in whole milliseconds (as the JSON keeps). */
final class TestEvents {
    static final Instant T0 = Instant.parse("2026-12-07T13:30:00.123Z");

    private TestEvents() {}

    static Event event(String camera, int i) {
        return event(camera, "person-at-door", i);
    }

    static Event event(String camera, String rule, int i) {
        Instant start = T0.plusSeconds(i);
        return new Event(
                camera + "/" + rule + "/" + start.toEpochMilli(),
                camera,
                rule,
                i % 3 == 0 ? Event.Type.START : i % 3 == 1 ? Event.Type.UPDATE : Event.Type.END,
                "entry",
                List.of("person"),
                0.02 + i / 1000.0,
                0.05 + i / 1000.0,
                start,
                start.plusMillis(250),
                "/var/lib/segment/snapshots/" + camera + "-" + i + ".jpg",
                i,
                i + 0.25);
    }
}

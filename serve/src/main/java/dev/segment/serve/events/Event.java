package dev.segment.serve.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event of a rule: its start, an update while it lasts, or its end. The same JSON object goes to every sink
 * (MQTT, webhook, JSON lines).
 *
 * @param id        the event's id, the same in its start, updates and end: {@code camera/rule/start millis}
 * @param camera    the camera's name
 * @param rule      the rule's name
 * @param type      start, update or end
 * @param zone      the zone's name, or {@code null} for a rule on the whole frame
 * @param classes   the class names the rule counts
 * @param share     the share of the zone those classes cover in the frame the event was raised on, 0..1
 * @param peakShare the largest share since the event started
 * @param start     when the event started (the frame the share first held for the rule's time)
 * @param time      the time of the frame this message is about
 * @param snapshot  the JPEG of the overlay at the peak so far, a path on the service's disk, or null when none was
 *                  written
 * @param streamStart {@code start} on the camera's own clock: seconds since its first frame (from its frames' own
 *                  times, kept increasing across reconnects)
 * @param streamTime  {@code time} on the camera's own clock
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Event(
        @JsonProperty("id") String id,
        @JsonProperty("camera") String camera,
        @JsonProperty("rule") String rule,
        @JsonProperty("type") Type type,
        @JsonProperty("zone") String zone,
        @JsonProperty("classes") List<String> classes,
        @JsonProperty("share") double share,
        @JsonProperty("peakShare") double peakShare,
        @JsonProperty("start") Instant start,
        @JsonProperty("time") Instant time,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("streamStart") double streamStart,
        @JsonProperty("streamTime") double streamTime) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(type, "type");
        classes = List.copyOf(classes);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(time, "time");
    }

    /** What an event message says about its event. */
    public enum Type {
        @JsonProperty("start")
        START,
        @JsonProperty("update")
        UPDATE,
        @JsonProperty("end")
        END
    }
}

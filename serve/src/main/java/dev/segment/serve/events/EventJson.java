package dev.segment.serve.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON of an {@link Event}, the same for every sink: one configured Jackson mapper. Times are ISO-8601 UTC strings
 * with milliseconds ({@code 2026-12-07T13:30:00.123Z}). Jackson's JavaTimeModule (jackson-datatype-jsr310) is not a
 * dependency of this module, and two small (de)serializers for {@link Instant} are all events need.
 */
public final class EventJson {
    /** {@code 2026-12-07T13:30:00.123Z}: always three fraction digits, so that the strings sort as the times do. */
    public static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER =
            new ObjectMapper().registerModule(instants()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventJson() {}

    /** One event as a JSON object on one line. */
    public static String toJson(Event event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write event " + event.id() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** {@link #toJson(Event)} in UTF-8. */
    public static byte[] toBytes(Event event) {
        return toJson(event).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads an event back (unknown fields are ignored, so that readers keep working when fields are added). */
    public static Event fromJson(String json) {
        try {
            return MAPPER.readValue(json, Event.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an event: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The shared mapper, for code that writes events inside other JSON (an API answer). Do not reconfigure it; to use
     * the event times in another mapper, register {@link #instants()}.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The module that writes and reads {@link Instant} as {@link #TIME} strings. */
    public static SimpleModule instants() {
        return new SimpleModule("segment-event-times")
                .addSerializer(Instant.class, new InstantSerializer())
                .addDeserializer(Instant.class, new InstantDeserializer());
    }

    private static final class InstantSerializer extends StdScalarSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(TIME.format(value));
        }
    }

    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return Instant.parse(text);
            } catch (DateTimeException e) {
                return (Instant) ctxt.handleWeirdStringValue(
                        Instant.class, text, "not an ISO-8601 UTC time like 2026-12-07T13:30:00.123Z");
            }
        }
    }
}

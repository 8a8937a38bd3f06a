package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --records kafka://HOST:PORT/TOPIC}: what is taken, and a malformed value named with what is wrong. */
class KafkaTargetTest {
    @Test
    void brokersAndTopicAreTaken() {
        assertEquals(new KafkaTarget("127.0.0.1:9092", "frames"), KafkaTarget.parse("kafka://127.0.0.1:9092/frames"));
        assertEquals(new KafkaTarget("a:1,b:2", "x.y_z-1"), KafkaTarget.parse("KAFKA://a:1,b:2/x.y_z-1"));
    }

    @Test
    void malformedValuesAreNamedWithTheReason() {
        assertBad("kafka://127.0.0.1:9092", "the topic is missing");
        assertBad("kafka://127.0.0.1:9092/", "the topic is empty");
        assertBad("kafka:///frames", "no broker");
        assertBad("kafka://broker/frames", "broker \"broker\" has no HOST:PORT");
        assertBad("kafka://broker:99999/frames", "port \"99999\"");
        assertBad("kafka://broker:x/frames", "port \"x\"");
        assertBad("kafka://broker:9092/a/b", "topic \"a/b\"");
        assertBad("http://broker:9092/frames", "does not start with kafka://");
    }

    @Test
    void filesStayTheDefault() throws Exception {
        JobSettings s = JobSettings.of(null, Map.of("model.path", "/m.pb"), Path.of("/tmp/out"));
        assertNull(s.kafka());
        assertNull(s.withRecords("files").kafka());
        assertEquals("frames", s.withRecords("kafka://h:1/frames").kafka().topic());
    }

    private static void assertBad(String value, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaTarget.parse(value));
        assertTrue(
                e.getMessage().startsWith("--records must be kafka://HOST:PORT/TOPIC, got \"" + value + "\""),
                e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}

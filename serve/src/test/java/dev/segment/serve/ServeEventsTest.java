package dev.segment.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.metrics.MetricsRegistries;
import dev.segment.serve.events.EventSink;
import dev.segment.serve.events.JsonLinesSink;
import dev.segment.serve.events.MqttEventSink;
import dev.segment.serve.events.TestSubscriber;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.MosquittoBroker;
import dev.segment.testing.Ports;
import dev.segment.testing.RtspTestServer;
import dev.segment.testing.Shared;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of an event, with real parts: the people clip served as a camera by the GStreamer RTSP server, the
 * real model, a zone rule, a real Mosquitto broker and a JSON-lines file.
 *
 * <p>The truth: the first person comes into the bottom of the frame at 6.0-6.3 s (by eye; the model on every frame
 * of the cut clip first sees her at 6.3 s), walks to the table and leaves at the right; the model on every frame
 * last sees her at 19.4 s, her last pixels are gone by eye at 19.75 s. The next person comes in at 22 s: the clip is
 * cut at 21.5 s. The camera's clock starts at the first frame it receives, after FFmpeg has probed the stream: the
 * RTSP server starts the clip as the client connects, so the stream's times run behind the clip's by the probe, 0.5 to
 * 1.1 s in our runs (the model on every frame first sees her at 6.3 s, at 10% of the zone; the live event, with the
 * model at its share from the first frame, started at the stream's 5.2-5.8 s). The start is therefore checked from
 * {@link #LAG} before the truth to 1 s after it (a model run that comes late). The end is checked from {@link #LAG}
 * and half a second before the truth (on a live camera at 5 fps a figure leaving fast, turning and blurred, is lost
 * about half a second before the model on every frame loses it) to 1.5 s after it.
 */
@ModelTest
class ServeEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double ENTERS = 6.3;
    private static final double LEAVES = 19.45;
    private static final double HOLD = 1.0;
    /** The most the stream's clock runs behind the clip's (the probe before the first frame), with a margin. */
    private static final double LAG = 1.3;

    @TempDir
    Path dir;

    @Test
    void aPersonWalkingIntoTheZoneGivesOneStartAndOneEndAtTheRightTimes() throws Exception {
        RtspTestServer.assumeAvailable();
        Path clip = Ffmpeg.cut(Shared.peopleVideo(), 0, 215, dir.resolve("first-person.mp4")); // 21.5 s at 10 fps
        SegmentConfig settings = SegmentConfig.defaults()
                .withOverride("model.path", Shared.model().toString(), "test")
                .withOverride("crf.enabled", "true", "test");
        try (MosquittoBroker broker = MosquittoBroker.start();
                RtspTestServer camera = RtspTestServer.start(
                        Ports.free(), List.of("--file", clip.toString(), "--fps", "10", "--repeat", "1"));
                TestSubscriber events = TestSubscriber.subscribe(broker.uri(), "segment/door/events");
                DeepLabModel model = Models.acquire(settings, true)) {
            List<EventSink> sinks = List.of(
                    new MqttEventSink(URI.create(broker.uri())), new JsonLinesSink(dir.resolve("events.jsonl")));
            PrometheusRegistry registry = MetricsRegistries.withJvmAndProcess();
            Service service = new Service(
                    settings,
                    model,
                    sinks,
                    dir.resolve("snapshots"),
                    ServeFile.empty(),
                    false,
                    registry,
                    Clock.systemUTC());
            try {
                service.add(JSON.readTree(("{'name': 'door', 'source': '" + camera.url() + "', 'fps': 5,"
                                + " 'zones': {'floor': [[0,0.3],[1,0.3],[1,1],[0,1]]},"
                                + " 'rules': [{'name': 'person-in', 'zone': 'floor', 'classes': ['person'],"
                                + " 'minShare': 0.02, 'forSeconds': 1, 'holdSeconds': " + HOLD + "}]}")
                        .replace('\'', '"')));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> events.on("segment/door/events").stream()
                                .anyMatch(m -> m.payload().contains("\"type\":\"end\"")));
            } finally {
                service.close();
            }
            List<JsonNode> got = new ArrayList<>();
            for (TestSubscriber.Received m : events.on("segment/door/events")) {
                assertEquals(1, m.qos(), "QoS 1");
                got.add(JSON.readTree(m.payload()));
            }
            List<String> types = got.stream().map(e -> e.path("type").asText()).toList();
            assertEquals(
                    List.of("start", "end"),
                    types.stream().filter(t -> !t.equals("update")).toList(),
                    "" + got);
            JsonNode start = got.get(0);
            JsonNode end = got.get(got.size() - 1);
            assertEquals(start.path("id").asText(), end.path("id").asText(), "one event");
            assertEquals("door", start.path("camera").asText());
            assertEquals("person-in", start.path("rule").asText());
            assertEquals("floor", start.path("zone").asText());
            assertEquals("person", start.path("classes").get(0).asText());
            double entered = start.path("streamStart").asDouble();
            double left = end.path("streamTime").asDouble() - HOLD;
            assertTrue(
                    entered >= ENTERS - LAG && entered <= ENTERS + 1.0,
                    "entered at " + entered + " s, truth " + ENTERS + " s");
            assertTrue(
                    left >= LEAVES - LAG - 0.5 && left <= LEAVES + 1.5,
                    "left at " + left + " s, truth " + LEAVES + " s");
            assertTrue(end.path("peakShare").asDouble() >= 0.02, "" + end);
            Path snapshot = Path.of(end.path("snapshot").asText());
            byte[] jpeg = Files.readAllBytes(snapshot);
            assertEquals((byte) 0xFF, jpeg[0]);
            assertEquals((byte) 0xD8, jpeg[1], "a JPEG at " + snapshot);
            List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"));
            assertEquals(got.size(), lines.size(), "the file has every event the broker had");
            assertEquals(start, JSON.readTree(lines.get(0)));
        }
    }
}

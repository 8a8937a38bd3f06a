package dev.segment.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.metrics.MetricsRegistries;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API of a real service (the real model, cameras from FFmpeg test sources) over real HTTP. */
@ModelTest
class ServeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA =
            "{'name': '%s', 'source': 'lavfi:testsrc2=size=320x180:rate=10', 'fps': 5}".replace('\'', '"');

    private final HttpClient http = HttpClient.newHttpClient();
    private DeepLabModel model;
    private Service service;
    private ApiServer api;
    private String base;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        SegmentConfig settings = SegmentConfig.defaults()
                .withOverride("model.path", Shared.model().toString(), "test");
        model = Models.acquire(settings, true);
        PrometheusRegistry registry = MetricsRegistries.withJvmAndProcess();
        service = new Service(
                settings,
                model,
                List.of(),
                dir.resolve("snapshots"),
                ServeFile.empty(),
                false,
                registry,
                Clock.systemUTC());
        api = ApiServer.start(service, registry, "127.0.0.1", 0, null);
        base = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (api != null) {
            api.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode cameras() throws Exception {
        HttpResponse<String> r = send("GET", "/api/cameras", null);
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String field, String value) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(field, body.path("field").asText(), r.body());
        if (value != null) {
            assertEquals(value, body.path("value").asText(), r.body());
        }
        assertTrue(body.path("error").asText().length() > 5, r.body());
    }

    @Test
    void badRequestsGetA4xxNamingTheFieldAndChangeNothing() throws Exception {
        assertEquals(201, send("POST", "/api/cameras", CAMERA.formatted("door")).statusCode());
        JsonNode before = cameras();
        assertRefused(send("POST", "/api/cameras", "{'name': 'x', 'source': 'rtps:/cam'}"), 400, "source", null);
        assertRefused(
                send(
                        "POST",
                        "/api/cameras",
                        "{'name': 'x', 'source': 'rtsp://cam/x', 'zones': {'z': [[0,0],[2,0]," + "[1,1]]}}"),
                400,
                "zones.z[1]",
                "[2,0]");
        assertRefused(
                send(
                        "POST",
                        "/api/cameras",
                        "{'name': 'x', 'source': 'rtsp://cam/x', 'rules': [{'name': 'r',"
                                + " 'classes': ['human'], 'minShare': 0.1}]}"),
                400,
                "rules[0].classes[0]",
                "human");
        assertRefused(send("POST", "/api/cameras", CAMERA.formatted("door")), 409, "name", "door");
        assertRefused(
                send("POST", "/api/cameras/garage/rules", "{'name': 'r', 'classes': ['car'], 'minShare': 0.1}"),
                404,
                "camera",
                "garage");
        assertRefused(
                send(
                        "POST",
                        "/api/cameras/door/rules",
                        "{'name': 'r', 'zone': 'porch', 'classes': ['car']," + " 'minShare': 0.1}"),
                400,
                "rules[0].zone",
                "porch");
        assertRefused(send("POST", "/api/cameras", "{not json"), 400, "body", null);
        assertRefused(send("DELETE", "/api/cameras/garage", null), 404, "name", "garage");
        assertRefused(send("PUT", "/api/cameras", "{}"), 405, "method", "PUT");
        JsonNode after = cameras();
        assertEquals(1, after.size());
        assertEquals(before.get(0).path("camera"), after.get(0).path("camera"), "the camera is unchanged");
        // a good rule is taken while the camera runs
        assertEquals(
                201,
                send("POST", "/api/cameras/door/rules", "{'name': 'r', 'classes': ['car']," + " 'minShare': 0.1}")
                        .statusCode());
        assertEquals(
                "r",
                cameras()
                        .get(0)
                        .path("camera")
                        .path("rules")
                        .get(0)
                        .path("name")
                        .asText());
    }

    @Test
    void camerasAreAddedAndRemovedWhileOthersRun() throws Exception {
        // a camera that never answers (nothing listens on port 1) holds up no other
        assertEquals(
                201,
                send("POST", "/api/cameras", "{'name': 'dead', 'source': 'rtsp://127.0.0.1:1/none'}")
                        .statusCode());
        assertEquals(201, send("POST", "/api/cameras", CAMERA.formatted("a")).statusCode());
        assertEquals(201, send("POST", "/api/cameras", CAMERA.formatted("b")).statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode c = cameras();
            return c.get(1).path("framesOut").asLong() > 5
                    && c.get(2).path("framesOut").asLong() > 5;
        });
        JsonNode dead = JSON.readTree(send("GET", "/api/cameras/dead", null).body());
        assertEquals("connecting", dead.path("status").asText(), dead.toString());
        assertEquals(false, dead.path("connected").asBoolean(), dead.toString());
        JsonNode degraded = JSON.readTree(send("GET", "/healthz", null).body());
        assertEquals("degraded", degraded.path("status").asText(), degraded.toString());
        assertEquals("dead", degraded.path("notRunning").get(0).asText(), degraded.toString());
        assertEquals(1, degraded.path("modelsLoaded").asInt(), "one model for every camera: " + degraded);
        assertEquals(204, send("DELETE", "/api/cameras/dead", null).statusCode(), "a camera still connecting stops");
        String metrics = send("GET", "/metrics", null).body();
        assertTrue(metrics.contains("segment_frames_out_total{camera=\"a\"}"), metrics);
        assertTrue(metrics.contains("segment_frames_out_total{camera=\"b\"}"), metrics);
        assertEquals(204, send("DELETE", "/api/cameras/a", null).statusCode());
        assertEquals(404, send("GET", "/api/cameras/a", null).statusCode());
        long b = JSON.readTree(send("GET", "/api/cameras/b", null).body())
                .path("framesOut")
                .asLong();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> JSON.readTree(send("GET", "/api/cameras/b", null).body())
                                .path("framesOut")
                                .asLong()
                        > b + 5);
        assertEquals(1, cameras().size());
        assertTrue(!send("GET", "/metrics", null).body().contains("camera=\"a\""), "a's series are gone");
        HttpResponse<String> health = send("GET", "/healthz", null);
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).path("status").asText(), health.body());
        HttpResponse<String> page = send("GET", "/", null);
        assertTrue(page.body().contains("api/cameras"), "the preview page polls the camera list");
        HttpResponse<byte[]> jpeg = http.send(
                HttpRequest.newBuilder(URI.create(base + "/cameras/b/snapshot.jpg"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, jpeg.statusCode());
        assertEquals((byte) 0xFF, jpeg.body()[0]);
        assertEquals((byte) 0xD8, jpeg.body()[1], "a JPEG");
    }

    @Test
    void beyondLoopbackEveryRequestNeedsTheToken() throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ApiServer.start(service, MetricsRegistries.withJvmAndProcess(), "0.0.0.0", 0, null));
        assertTrue(e.getMessage().contains("api.token"), e.getMessage());
        AtomicReference<ApiServer> open = new AtomicReference<>();
        try {
            open.set(ApiServer.start(service, MetricsRegistries.withJvmAndProcess(), "0.0.0.0", 0, "s3cret"));
            URI health = URI.create("http://127.0.0.1:" + open.get().port() + "/api/cameras");
            HttpResponse<String> without =
                    http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertRefused(without, 401, "Authorization", null);
            HttpResponse<String> wrong = http.send(
                    HttpRequest.newBuilder(health)
                            .header("Authorization", "Bearer guess")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> with = http.send(
                    HttpRequest.newBuilder(health)
                            .header("Authorization", "Bearer s3cret")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, with.statusCode(), with.body());
            // a camera's preview on that server asks for the same token
            HttpResponse<String> added = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + open.get().port() + "/api/cameras"))
                            .header("Authorization", "Bearer s3cret")
                            .POST(HttpRequest.BodyPublishers.ofString(CAMERA.formatted("yard")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, added.statusCode(), added.body());
            URI snapshot = URI.create("http://127.0.0.1:" + open.get().port() + "/cameras/yard/snapshot.jpg");
            assertEquals(
                    401,
                    http.send(HttpRequest.newBuilder(snapshot).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode(),
                    "the preview without the token");
            assertEquals(
                    200,
                    http.send(
                                    HttpRequest.newBuilder(snapshot)
                                            .header("Authorization", "Bearer s3cret")
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode(),
                    "the preview with it");
        } finally {
            if (open.get() != null) {
                open.get().close();
            }
        }
    }
}

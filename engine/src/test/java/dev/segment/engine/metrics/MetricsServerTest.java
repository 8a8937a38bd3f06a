package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.support.ConstantSegmenter;
import dev.segment.engine.support.RecordingSink;
import dev.segment.engine.support.SyntheticSource;
import dev.segment.testing.Ports;
import dev.segment.testing.SystemTest;
import dev.segment.testing.SystemTools;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint as real scrapers read it: Debian's {@code promtool} parses and lints the text exposition, and a
 * Prometheus server scrapes it (asking for OpenMetrics) and answers queries about what it stored.
 */
@SystemTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsServerTest {
    private static final int FRAMES = 20;
    /** Every pipeline metric the README names, plus JVM and process metrics. */
    private static final List<String> FAMILIES = List.of(
            "segment_frames_in_total",
            "segment_frames_out_total",
            "segment_frames_dropped_total",
            "segment_output_fps",
            "segment_ring_occupancy",
            "segment_stage_seconds",
            "segment_capture_to_output_seconds",
            "segment_source_connects_total",
            "segment_source_reconnects_total",
            "segment_source_reconnect_attempts_total",
            "segment_source_disconnects_total",
            "segment_source_frame_size_changes_total",
            "segment_source_connected",
            "segment_source_epoch",
            "segment_source_width",
            "segment_source_height",
            "jvm_memory_used_bytes",
            "jvm_threads_current",
            "jvm_gc_collection_seconds",
            "process_cpu_seconds_total",
            "process_resident_memory_bytes");

    private static final String OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void promtoolParsesAndLintsTheTextExposition(@TempDir Path dir) throws Exception {
        Path promtool = SystemTools.requireProgram("promtool", "prometheus");
        PrometheusRegistry registry = registryAfterShortRun();
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            HttpResponse<String> text = get(server.url(), null);
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Path body = dir.resolve("metrics.txt");
            Files.writeString(body, text.body());
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(body.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
            for (String family : FAMILIES) {
                assertTrue(text.body().contains("\n" + family), family + " missing from the scrape");
            }
            PrometheusScrape s = PrometheusScrape.parse(text.body());
            assertEquals(FRAMES, s.value("segment_frames_out_total"));
            assertEquals(FRAMES, s.value("segment_frames_in_total"));
            assertEquals(FRAMES, s.value("segment_stage_seconds_bucket", "stage=\"infer\",le=\"+Inf\""));
        }
    }

    @Test
    void prometheusScrapesOpenMetricsAndAnswersQueries(@TempDir Path dir) throws Exception {
        Path prometheus = SystemTools.requireProgram("prometheus", "prometheus");
        PrometheusRegistry registry = registryAfterShortRun();
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            HttpResponse<String> om = get(server.url(), OPENMETRICS_ACCEPT);
            assertTrue(
                    om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                    om.headers().map().toString());
            assertTrue(om.body().endsWith("# EOF\n"), "an OpenMetrics exposition ends with # EOF");

            int webPort = Ports.free();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(
                    config,
                    "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                            + "  - job_name: segment\n    static_configs:\n      - targets: ['127.0.0.1:"
                            + server.port() + "']\n");
            Process p = new ProcessBuilder(
                            prometheus.toString(),
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                String api = "http://127.0.0.1:" + webPort + "/api/v1/query?query=";
                JsonNode frames = awaitResult(api, "segment_frames_out_total", dir);
                assertEquals(FRAMES, frames.get("value").get(1).asDouble());
                assertEquals(
                        1,
                        awaitResult(api, "up{job=\"segment\"}", dir)
                                .get("value")
                                .get(1)
                                .asDouble());
                assertEquals(
                        FRAMES,
                        awaitResult(api, "segment_stage_seconds_count{stage=\"infer\"}", dir)
                                .get("value")
                                .get(1)
                                .asDouble());
                assertTrue(awaitResult(api, "process_cpu_seconds_total", dir)
                                .get("value")
                                .get(1)
                                .asDouble()
                        > 0);
                assertTrue(awaitResult(api, "sum(jvm_memory_used_bytes)", dir)
                                .get("value")
                                .get(1)
                                .asDouble()
                        > 0);
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void listensOnLoopbackOnlyAndStopsOnClose() throws Exception {
        MetricsServer server = MetricsServer.start(new PrometheusRegistry(), 0);
        int port = server.port();
        assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
        server.close();
        server.close();
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        });
    }

    @Test
    void aBusyPortIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(
                    IOException.class, () -> MetricsServer.start(new PrometheusRegistry(), taken.getLocalPort()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getCause() instanceof java.net.BindException, String.valueOf(e.getCause()));
        }
    }

    /** A registry with JVM metrics and the pipeline metrics of a finished 20-frame run. */
    private static PrometheusRegistry registryAfterShortRun() throws Exception {
        PrometheusRegistry registry = MetricsRegistries.withJvmAndProcess();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        Pipeline p = Pipeline.builder()
                .source(new SyntheticSource(64, 48, FRAMES, false, 0))
                .segmenter((w, h) -> new ConstantSegmenter(15, 1))
                .sink(new RecordingSink())
                .listener(metrics)
                .start();
        metrics.bind(p);
        assertEquals(FRAMES, p.await(60, TimeUnit.SECONDS).framesOut());
        return registry;
    }

    private HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (accept != null) {
            r.header("Accept", accept);
        }
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response;
    }

    /** Polls the query API until the query has a result (Prometheus needs a scrape or two), at most about 60 s. */
    private JsonNode awaitResult(String api, String query, Path dir) throws Exception {
        String url = api + URLEncoder.encode(query, StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 240; attempt++) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode result =
                            new ObjectMapper().readTree(r.body()).path("data").path("result");
                    if (result.size() == 1) {
                        return result.get(0);
                    }
                }
            } catch (ConnectException starting) {
                // Prometheus not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus returned nothing for " + query + "; its log:\n"
                + Files.readString(dir.resolve("prometheus.log")));
    }
}

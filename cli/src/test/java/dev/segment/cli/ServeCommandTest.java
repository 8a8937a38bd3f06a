package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Segment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segment serve} as users run it: a file, the API, SIGTERM. */
@ModelTest
class ServeCommandTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void sigtermFinalizesEveryRecordingAndPersistWritesTheApisCameras() throws Exception {
        Path rec = dir.resolve("rec");
        Path file = serveFile(
                "cameras:",
                "  - name: yard",
                "    source: 'lavfi:testsrc2=size=320x180:rate=10'",
                "    fps: 5",
                "    outputs: [" + rec + "]",
                "    segmentSeconds: 2");
        Path log = dir.resolve("serve.log");
        try (ChildSegment child = ChildSegment.start(
                List.of(), List.of(), log, "serve", "--config", file.toString(), "--api-port", "0", "--persist")) {
            Pattern url = Pattern.compile("API and preview at (http://\\S+/),");
            await().atMost(Duration.ofSeconds(90))
                    .failFast("segment ended", () -> !child.isAlive())
                    .until(() -> url.matcher(child.output()).find());
            Matcher m = url.matcher(child.output());
            assertTrue(m.find());
            String api = m.group(1);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> added = http.send(
                    HttpRequest.newBuilder(URI.create(api + "api/cameras"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"gate\", \"source\":"
                                    + " \"lavfi:testsrc2=size=160x120:rate=5\", \"fps\": 2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, added.statusCode(), added.body());
            JsonNode written = YAML.readTree(file.toFile());
            assertEquals(2, written.path("cameras").size(), "--persist wrote the API's camera back: " + written);
            assertEquals("gate", written.path("cameras").get(1).path("name").asText());
            assertTrue(written.path("settings").path("model").has("path"), "the rest of the file is kept");
            // two recording files at least: one finished, one being written when the signal comes
            await().atMost(Duration.ofSeconds(90))
                    .failFast("segment ended", () -> !child.isAlive())
                    .until(() -> recordings(rec).size() >= 2);
            child.signal("TERM");
            assertEquals(ExitCodes.TERMINATED, child.waitFor(90), child::output);
            assertTrue(child.output().contains("finalizing every camera's outputs"), child::output);
            for (Path f : recordings(rec)) {
                assertTrue(Ffmpeg.probe(f).frames() > 0, f + " is playable to its end: " + Ffmpeg.decodeErrors(f));
                assertEquals("", Ffmpeg.decodeErrors(f), f.toString());
            }
        }
    }

    @Test
    void aBadCameraInTheFileIsAConfigurationErrorNamingItsField() throws Exception {
        Path file = serveFile(
                "cameras:", "  - {name: door, source: 'rtsp://cam/x', zones: {entry: [[0, 0], [1.5, 0], [1, 1]]}}");
        Segment.Result r = Segment.run("serve", "--config", file.toString(), "--api-port", "0", "--duration", "1");
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cameras[0].zones.entry[1]"), r.err());
        assertTrue(r.err().contains("[1.5,0]"), r.err());
    }

    @Test
    void statisticsForEveryCameraAtOnceAreRefused() throws Exception {
        Path file = serveFile("  output: {statsFile: all.jsonl}");
        Segment.Result r = Segment.run("serve", "--config", file.toString(), "--api-port", "0", "--duration", "1");
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("settings.output.statsFile"), r.err());
        assertTrue(r.err().contains("is per camera"), r.err());
    }

    /** serve.yaml with the model in its settings, then {@code lines}. */
    private Path serveFile(String... lines) throws Exception {
        Path file = dir.resolve("serve.yaml");
        List<String> all = new ArrayList<>(List.of("settings:", "  model: {path: " + Shared.model() + "}"));
        all.addAll(List.of(lines));
        all.add("");
        Files.writeString(file, String.join("\n", all));
        return file;
    }

    private static List<Path> recordings(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
    }
}

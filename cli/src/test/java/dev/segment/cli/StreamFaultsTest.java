package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Segment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Ports;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment stream} when things are not as asked: a camera that never answers, a missing webcam, a busy port,
 * and how a run started and ended is reported (docs/FAULTS.md, "stream and live").
 */
@ModelTest
@SystemTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamFaultsTest {
    /** A camera stand-in: FFmpeg's test pattern, 5 small frames a second, paced like a camera. */
    private static final String CAMERA = "lavfi:testsrc2=size=160x120:rate=5";

    @TempDir
    Path dir;

    /**
     * Nothing listens on the port: with the default reconnection policy the camera is retried, and --duration ends the
     * run anyway, with exit 9 and one line saying no frame came.
     */
    @Test
    void cameraThatRefusesEndsAtTheDurationWithExit9() throws Exception {
        String url = "rtsp://viewer:pw5@127.0.0.1:" + Ports.closed() + "/cam";
        assertNoFrameWithinTheDuration(url);
    }

    /** A web page given as the camera URL: FFmpeg finds no video in it; retried until --duration ends the run. */
    @Test
    void webPageUrlEndsAtTheDurationWithExit9() throws Exception {
        HttpServer page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        page.createContext("/", exchange -> {
            byte[] html =
                    "<!doctype html><html><body><h1>Camera admin</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        page.start();
        try {
            assertNoFrameWithinTheDuration(
                    "http://127.0.0.1:" + page.getAddress().getPort() + "/");
        } finally {
            page.stop(0);
        }
    }

    private void assertNoFrameWithinTheDuration(String url) throws Exception {
        Segment.Result r = Segment.run(
                "stream",
                url,
                "--model",
                Shared.model().toString(),
                "--out",
                dir.resolve("never.mp4").toString(),
                "--duration",
                "5");
        assertEquals(ExitCodes.SOURCE_LOST, r.exitCode(), r::toString);
        List<String> lines = r.messages();
        // ended by the duration after retrying, not given up early
        assertTrue(lines.get(lines.size() - 1).contains("no frame within the 5 s of --duration"), r::toString);
        // said at the first failure, not only at the end: one warning, then one line per attempt with its delay
        assertTrue(lines.get(0).startsWith("segment: warning: " + redacted(url) + ": cannot connect ("), r::toString);
        List<String> attempts = lines.subList(1, lines.size() - 1);
        assertFalse(attempts.isEmpty(), r::toString);
        for (int i = 0; i < attempts.size(); i++) {
            assertTrue(
                    attempts.get(i)
                            .matches(Pattern.quote(
                                            "segment: " + redacted(url) + ": connection attempt " + (i + 2) + " in ")
                                    + "\\d+ ms"),
                    attempts.get(i));
        }
        assertFalse(r.err().contains("pw5"), r::toString);
    }

    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static String redacted(String url) {
        return url.replace("viewer:pw5@", "***@");
    }

    /** SIGTERM while a camera that never answered is still retried: the last line says it never connected. */
    @Test
    void sigtermBeforeTheCameraEverAnsweredSaysItNeverConnected() throws Exception {
        String url = "rtsp://viewer:pw5@127.0.0.1:" + Ports.closed() + "/cam";
        Path log = dir.resolve("never.log");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                log,
                "stream",
                url,
                "--model",
                Shared.model().toString(),
                "--out",
                dir.resolve("never.mp4").toString())) {
            await().atMost(Duration.ofSeconds(90))
                    .failFast("segment ended", () -> !child.isAlive())
                    .untilAsserted(() -> assertTrue(child.output().contains("connection attempt 3 in"), child::output));
            child.signal("TERM");
            assertEquals(ExitCodes.TERMINATED, child.waitFor(60), child::output);
            String last = child.output().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(
                    last.matches(
                            Pattern.quote("segment: interrupted; never connected to " + redacted(url) + ": ")
                                    + "\\d+ connection attempts in \\d+ s failed \\(last error: cannot open: Connection refused.*\\)"),
                    child::output);
            assertFalse(child.output().contains("pw5"), child::output);
        }
    }

    @Test
    void missingWebcamIsAMissingInputNamingTheDevice() throws Exception {
        Segment.Result r = Segment.run(
                "stream",
                "57",
                "--model",
                Shared.model().toString(),
                "--out",
                dir.resolve("cam.mp4").toString());
        assertEquals(ExitCodes.INPUT_MISSING, r.exitCode(), r::toString);
        String line = r.messages().get(0);
        assertTrue(line.contains("/dev/video57") && line.contains("no webcam"), r::toString);
        assertFalse(r.err().contains("--device") || r.err().contains("internal error"), r::toString);
    }

    @Test
    void busyMetricsPortIsAConfigurationErrorNamingTheFlagAndThePort() throws Exception {
        assertBusyPortRefused("--metrics-port");
    }

    @Test
    void busyPreviewPortIsAConfigurationErrorNamingTheFlagAndThePort() throws Exception {
        assertBusyPortRefused("--http-preview");
    }

    private void assertBusyPortRefused(String flag) throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(other.getLocalPort());
            Segment.Result r = Segment.run(
                    "stream",
                    CAMERA,
                    "--model",
                    Shared.model().toString(),
                    "--out",
                    dir.resolve("busy.mp4").toString(),
                    flag,
                    port,
                    "--duration",
                    "20");
            assertEquals(ExitCodes.CONFIG, r.exitCode(), r::toString);
            String line = r.messages().get(0);
            assertTrue(line.contains(flag) && line.contains(port) && line.contains("in use"), r::toString);
            assertFalse(r.err().contains("internal error"), r::toString);
        }
    }

    /** The start line lists where the overlay goes in words, not as a Java list ("-> []"). */
    @Test
    void startLineNamesTheOutputs() throws Exception {
        Path out = dir.resolve("three.mp4");
        Segment.Result r = Segment.run(
                "stream",
                CAMERA,
                "--model",
                Shared.model().toString(),
                "--out",
                out.toString(),
                "--masks",
                dir.resolve("masks").toString(),
                "--max-frames",
                "3");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        String start = r.messages().stream()
                .filter(l -> l.contains(" -> "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no start line: " + r));
        assertTrue(start.contains("-> " + out + ", masks in "), start);
        assertFalse(start.contains("[") || start.contains("]"), start);
        assertEquals(3, Ffmpeg.probe(out).frames());
    }

    /**
     * SIGTERM (and SIGINT, below) end a stream as they end a conversion: the outputs are finalized and the summary
     * line is printed, its frame count equal to what ffprobe reads from the file.
     */
    @Test
    void sigtermPrintsTheSummaryAndFinalizesTheFile() throws Exception {
        assertSignalEndsWithSummary("TERM", ExitCodes.TERMINATED);
    }

    @Test
    void sigintPrintsTheSummaryAndFinalizesTheFile() throws Exception {
        assertSignalEndsWithSummary("INT", ExitCodes.INTERRUPTED);
    }

    private void assertSignalEndsWithSummary(String signal, int exitCode) throws Exception {
        Path out = dir.resolve("sig" + signal + ".mp4");
        Path log = dir.resolve("sig" + signal + ".log");
        Path stats = dir.resolve("sig" + signal + ".jsonl");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                log,
                "stream",
                CAMERA,
                "--model",
                Shared.model().toString(),
                "--out",
                out.toString(),
                "--stats",
                stats.toString())) {
            if (signal.equals("INT")) {
                org.junit.jupiter.api.Assumptions.assumeFalse(
                        child.ignoresSigint(),
                        "this build runs with SIGINT"
                                + " ignored (a background job of a non-interactive shell): the JVM installs no handler");
            }
            // some frames through the model: the statistics file has a line (flushed) per frame written
            await().atMost(Duration.ofSeconds(90))
                    .failFast("segment ended", () -> !child.isAlive())
                    .untilAsserted(() -> assertTrue(lines(stats) >= 3, child::output));
            child.signal(signal);
            assertEquals(exitCode, child.waitFor(90), child::output);
            Matcher m =
                    Pattern.compile("segment: interrupted; (\\d+) frames out").matcher(child.output());
            assertTrue(m.find(), "summary line after the signal:\n" + child.output());
            long frames = Long.parseLong(m.group(1));
            assertTrue(frames > 0, child::output);
            assertEquals(frames, Ffmpeg.probe(out).frames(), child::output);
        }
    }
}

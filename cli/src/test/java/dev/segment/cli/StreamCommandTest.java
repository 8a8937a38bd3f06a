package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Ports;
import dev.segment.testing.RtspTestServer;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end through {@code segment stream}: real RTSP server, real model, real FFmpeg, ffprobe reading results. */
@ModelTest
@SystemTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StreamCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) frames out, (\\d+) dropped .*latency p50 (\\d+) ms" + " p99 (\\d+) ms, (\\d+) reconnects");

    @TempDir
    Path tmp;

    private static String model() {
        return Shared.model().toString();
    }

    /** Runs the CLI in this JVM with stderr captured (and still shown). */
    private static final class Run {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
        final Thread thread;

        Run(String... args) {
            thread = new Thread(
                    () -> {
                        PrintStream old = System.err;
                        PrintStream tee = new PrintStream(
                                new OutputStream() {
                                    @Override
                                    public void write(int b) {
                                        err.write(b);
                                        old.write(b);
                                    }
                                },
                                true,
                                StandardCharsets.UTF_8);
                        System.setErr(tee);
                        try {
                            exit.set(Main.run(args));
                        } finally {
                            System.setErr(old);
                        }
                    },
                    "test-cli");
            thread.start();
        }

        int await(long seconds) throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(seconds));
            assertTrue(!thread.isAlive(), "the command did not end within " + seconds + " s:\n" + err());
            return exit.get();
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        Matcher summary() {
            Matcher m = SUMMARY.matcher(err());
            assertTrue(m.find(), "no summary line in:\n" + err());
            return m;
        }
    }

    private static double metric(String url, String series) throws IOException, InterruptedException {
        HttpClient c =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = c.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new IllegalStateException(series + " not in scrape:\n" + body);
    }

    /** Waits until a metric reaches {@code atLeast}; the endpoint starts only after the model has loaded. */
    private static double awaitMetric(String url, String series, double atLeast, long seconds) {
        return await(series + " >= " + atLeast)
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> metric(url, series), v -> v >= atLeast);
    }

    private static void assertNoPipelineThreadsLeft() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> alive = new ArrayList<>();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.isAlive() && t.getName().startsWith("segment-")) {
                    alive.add(t.getName() + " " + t.getState() + " at " + (st.length > 0 ? st[0] : "?"));
                }
            });
            assertEquals(List.of(), alive, "threads left after the command ended");
        });
    }

    @Test
    void cameraKilledMidStreamReconnectsFramesResumeAndMetricsShowIt() throws Exception {
        RtspTestServer.assumeAvailable();
        String model = model();
        Path out = tmp.resolve("out.mkv");
        int metricsPort = Ports.free();
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        try (RtspTestServer camera = RtspTestServer.start(
                Ports.free(), List.of("--file", Shared.peopleVideo().toString(), "--fps", "25"))) {
            Run run = new Run(
                    "stream",
                    camera.url(),
                    "--model",
                    model,
                    "--out",
                    out.toString(),
                    "--duration",
                    "30",
                    "--metrics-port",
                    Integer.toString(metricsPort));
            awaitMetric(metrics, "segment_frames_out_total", 5, 60);
            camera.kill();
            awaitMetric(metrics, "segment_source_disconnects_total", 1, 30); // the stream noticed the loss
            double before = metric(metrics, "segment_frames_out_total");
            camera.restart();
            awaitMetric(metrics, "segment_source_reconnects_total", 1, 30);
            awaitMetric(metrics, "segment_frames_out_total", before + 5, 30);
            assertTrue(metric(metrics, "segment_source_reconnect_attempts_total") >= 1);
            double dropped = metric(metrics, "segment_frames_dropped_total");
            assertEquals(0, run.await(60), run.err());
            Matcher s = run.summary();
            long framesOut = Long.parseLong(s.group(1));
            assertEquals(1, Long.parseLong(s.group(5)), "one reconnect in the summary");
            assertTrue(Long.parseLong(s.group(2)) >= dropped, "drops only grow");
            assertEquals(framesOut, Ffmpeg.countFrames(out), "every frame written is readable by ffprobe");
            assertNoPipelineThreadsLeft();
        }
    }

    @Test
    void silentCameraFailsWithinTheTimeoutsWhenReconnectionIsOff() throws Exception {
        String model = model();
        Path config = tmp.resolve("c.yaml");
        Files.writeString(
                config,
                "source:\n  openTimeoutMs: 1500\n  readTimeoutMs: 1000\n  reconnect:\n" + "    maxAttempts: 0\n");
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Run run = new Run(
                    "stream",
                    "rtsp://user:pw4@127.0.0.1:" + silent.getLocalPort() + "/cam",
                    "--model",
                    model,
                    "--out",
                    tmp.resolve("never.mp4").toString(),
                    "--config",
                    config.toString());
            int exit = run.await(60);
            assertNotEquals(0, exit, run.err());
            assertFalse(
                    Pattern.compile("attempt \\d+ in \\d+ ms")
                            .matcher(run.err())
                            .find(),
                    "reconnection is off: no retry\n" + run.err());
            assertTrue(!run.err().contains("pw4"), run.err());
            for (Socket a : accepted) {
                a.close();
            }
        }
        assertNoPipelineThreadsLeft();
    }

    @Test
    void fileSourceSlowerThanRealTimeDropsNothing() throws Exception {
        String model = model();
        Path out = tmp.resolve("file.mp4");
        Run run = new Run(
                "stream",
                Shared.video("intel_car-detection.mp4").toString(),
                "--model",
                model,
                "--out",
                out.toString(),
                "--max-frames",
                "25");
        assertEquals(0, run.await(120), run.err());
        Matcher s = run.summary();
        assertEquals(25, Long.parseLong(s.group(1)));
        assertEquals(0, Long.parseLong(s.group(2)), "files never drop");
        assertEquals(25, Ffmpeg.countFrames(out));
    }
}

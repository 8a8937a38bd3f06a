package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.RtspServerProcess;
import dev.segment.cli.support.Shared;
import dev.segment.testing.ModelTest;
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

    private static Path shared() {
        String p = System.getProperty("segment.shared");
        return Path.of(p != null ? p : "../../shared").toAbsolutePath().normalize();
    }

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

    /** Polls a metric until it reaches {@code atLeast} (bounded). */
    private static double awaitMetric(String url, String series, double atLeast, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        double v = Double.NaN;
        while (System.nanoTime() < deadline) {
            try {
                v = metric(url, series);
                if (v >= atLeast) {
                    return v;
                }
            } catch (IOException notUpYet) {
                // the endpoint starts after the model loads
            }
            Thread.sleep(250);
        }
        throw new AssertionError(series + " stayed at " + v + " (wanted >= " + atLeast + ") for " + seconds + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int ffprobeFrames(Path f) throws Exception {
        Process p = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=nb_read_frames",
                        "-of",
                        "csv=p=0",
                        f.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return Integer.parseInt(out.split("\\R")[0].trim());
    }

    private static void assertNoPipelineThreadsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> alive = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            alive.clear();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.isAlive() && t.getName().startsWith("segment-")) {
                    alive.add(t.getName() + " " + t.getState() + " at " + (st.length > 0 ? st[0] : "?"));
                }
            });
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("threads left after the command ended: " + alive);
    }

    @Test
    void cameraKilledMidStreamReconnectsFramesResumeAndMetricsShowIt() throws Exception {
        RtspServerProcess.assumeAvailable();
        String model = model();
        Path out = tmp.resolve("out.mkv");
        int metricsPort = freePort();
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        try (RtspServerProcess camera = new RtspServerProcess(List.of(
                "--file",
                shared().resolve("data/videos/intel_one-by-one-person-detection.mp4")
                        .toString(),
                "--fps",
                "25"))) {
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
            Thread.sleep(2000);
            double before = metric(metrics, "segment_frames_out_total");
            camera.start();
            awaitMetric(metrics, "segment_source_reconnects_total", 1, 30);
            awaitMetric(metrics, "segment_frames_out_total", before + 5, 30);
            assertTrue(metric(metrics, "segment_source_reconnect_attempts_total") >= 1);
            double dropped = metric(metrics, "segment_frames_dropped_total");
            assertEquals(0, run.await(60), run.err());
            Matcher s = run.summary();
            long framesOut = Long.parseLong(s.group(1));
            assertEquals(1, Long.parseLong(s.group(5)), "one reconnect in the summary");
            assertTrue(Long.parseLong(s.group(2)) >= dropped, "drops only grow");
            assertEquals(framesOut, ffprobeFrames(out), "every frame written is readable by ffprobe");
            long p50 = Long.parseLong(s.group(3));
            assertTrue(p50 < 3000, "capture-to-output latency stays bounded, p50 " + p50 + " ms");
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
            long t0 = System.nanoTime();
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
            double s = (System.nanoTime() - t0) / 1e9;
            assertNotEquals(0, exit, run.err());
            assertTrue(s < 30, "gave up after " + s + " s");
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
                shared().resolve("data/videos/intel_car-detection.mp4").toString(),
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
        assertEquals(25, ffprobeFrames(out));
    }
}

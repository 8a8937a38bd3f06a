package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.NginxRtmpServer;
import dev.segment.cli.support.Segment;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Ports;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import dev.segment.testing.SystemTools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTMP push against a real ingest server (nginx with libnginx-mod-rtmp on loopback): the overlay pushed by
 * {@code segment stream ... --out rtmp://...} is read back with ffprobe; then the server is killed mid-stream and the
 * recording beside the push must go on and end complete; when the server comes back, the push resumes.
 */
@ModelTest
@SystemTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StreamRtmpTest {
    private static final Pattern FRAMES_OUT = Pattern.compile("segment: (\\d+) frames out");

    @TempDir
    Path tmp;

    /** Skips naming the packages, unless CI asks for every system tool to be present. */
    private static void requireNginxRtmp() {
        SystemTools.require(NginxRtmpServer.available(), "nginx with the RTMP module", "nginx libnginx-mod-rtmp");
    }

    @Test
    void pushIsPlayableItsLossDoesNotStopTheRecordingBesideItAndItResumes() throws Exception {
        requireNginxRtmp();
        Path recording = tmp.resolve("beside.mkv");
        int metricsPort = Ports.free();
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        try (NginxRtmpServer server = NginxRtmpServer.start(Files.createDirectories(tmp.resolve("nginx")))) {
            String push = server.url("sk_test42");
            AtomicReference<Segment.Result> result = new AtomicReference<>();
            Thread run = new Thread(
                    () -> {
                        try {
                            result.set(Segment.run(
                                    "stream",
                                    Shared.peopleVideo().toString(),
                                    "--realtime",
                                    "--model",
                                    Shared.model().toString(),
                                    "--out",
                                    push,
                                    "--out",
                                    recording.toString(),
                                    "--duration",
                                    "60",
                                    "--metrics-port",
                                    Integer.toString(metricsPort)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "test-stream-rtmp");
            run.start();
            awaitMetric(metrics, "segment_frames_out_total", 5, 90);

            String probed = ffprobe(
                    "-rw_timeout",
                    "15000000",
                    "-show_entries",
                    "stream=codec_name,width,height",
                    "-of",
                    "csv=p=0",
                    push);
            assertEquals(
                    "h264,768,432",
                    probed.lines().filter(l -> l.startsWith("h264")).findFirst().orElse(probed),
                    "the pushed stream, read back from the server:\n" + probed + "\nserver log:\n" + server.log());

            server.kill();
            double atKill = metric(metrics, "segment_frames_out_total");
            awaitMetric(metrics, "segment_frames_out_total", atKill + 10, 40);

            // the ingest comes back: the push reconnects (retries after 1, 2, 4, 8 s) and plays again
            try (NginxRtmpServer again = server.restart(Files.createDirectories(tmp.resolve("nginx2")))) {
                String reprobed = ffprobe(
                        "-rw_timeout", "30000000", "-show_entries", "stream=codec_name", "-of", "csv=p=0", push);
                assertTrue(
                        reprobed.lines().anyMatch(l -> l.equals("h264")),
                        "the push resumed:\n" + reprobed + "\nserver log:\n" + again.log());
            }

            run.join(TimeUnit.SECONDS.toMillis(120));
            assertTrue(!run.isAlive(), "the run ends at --duration");
            Segment.Result r = result.get();
            assertEquals(0, r.exitCode(), "a lost push is not a failed run:\n" + r);
            assertTrue(!r.err().contains("sk_test42"), "the stream key is not printed:\n" + r.err());
            Matcher m = FRAMES_OUT.matcher(r.err());
            assertTrue(m.find(), r.err());
            long framesOut = Long.parseLong(m.group(1));
            assertTrue(framesOut > atKill + 10, framesOut + " frames out, " + atKill + " when the server died");
            assertEquals(
                    Long.toString(framesOut),
                    ffprobe(
                            "-count_frames",
                            "-select_streams",
                            "v:0",
                            "-show_entries",
                            "stream=nb_read_frames",
                            "-of",
                            "csv=p=0",
                            recording.toString()),
                    "the recording beside the push holds every frame out and is readable to its end");
        }
    }

    private static String ffprobe(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ffprobe";
        cmd[1] = "-v";
        cmd[2] = "error";
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffprobe ended");
        return out;
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
    private static void awaitMetric(String url, String series, double atLeast, long seconds) {
        await(series + " >= " + atLeast)
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> metric(url, series), v -> v >= atLeast);
    }
}

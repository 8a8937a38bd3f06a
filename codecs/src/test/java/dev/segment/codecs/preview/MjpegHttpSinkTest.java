package dev.segment.codecs.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.support.SystemTools;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MjpegHttpSinkTest {
    private static final int PERSON = 15;
    private static final VideoInfo INFO = new VideoInfo(320, 240, 25, -1, 0, 0, true, "rtsp://***@cam/live");

    /** Writes frames at about 25 fps on a background thread until stopped. */
    private static Thread feeder(MjpegHttpSink sink, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            TestFrame f = new TestFrame(320, 240, PERSON);
            for (int i = 0; i < 2000 && !stop.get(); i++) {
                try {
                    sink.write(f.at(i, i * 40_000L));
                    Thread.sleep(40);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "test-feeder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void multipartStreamCarriesJpegFramesWithTheOverlayColours() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (MjpegHttpSink sink = new MjpegHttpSink(0)) {
            sink.open(INFO);
            assertTrue(sink.url().startsWith("http://127.0.0.1:"), sink.url());
            Thread feeder = feeder(sink, stop);
            HttpURLConnection c = (HttpURLConnection) URI.create(sink.url() + "stream.mjpg").toURL().openConnection();
            c.setReadTimeout(5000);
            assertEquals(200, c.getResponseCode());
            String type = c.getContentType();
            assertTrue(type.startsWith("multipart/x-mixed-replace; boundary="), type);
            String boundary = "--" + type.substring(type.indexOf('=') + 1);
            try (DataInputStream in = new DataInputStream(c.getInputStream())) {
                for (int i = 0; i < 3; i++) {
                    String line = readLine(in);
                    while (line.isEmpty()) {
                        line = readLine(in);
                    }
                    assertEquals(boundary, line);
                    int length = -1;
                    for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
                        if (h.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    assertTrue(length > 100, "part " + i + " has a Content-Length");
                    byte[] jpeg = new byte[length];
                    in.readFully(jpeg);
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
                    assertNotNull(img, "part " + i + " is a JPEG");
                    assertEquals(320, img.getWidth());
                    assertTrue(TestFrame.near(img.getRGB(60, 120), PERSON, 12), "left half shows person colour, got "
                            + Integer.toHexString(img.getRGB(60, 120)));
                    assertTrue(TestFrame.near(img.getRGB(260, 120), 0, 12), "right half background");
                }
                assertEquals(1, sink.clients());
            }
            c.disconnect();
            HttpURLConnection snap = (HttpURLConnection) URI.create(sink.url() + "snapshot.jpg").toURL()
                    .openConnection();
            assertEquals("image/jpeg", snap.getContentType());
            assertNotNull(ImageIO.read(snap.getInputStream()));
            HttpURLConnection page = (HttpURLConnection) URI.create(sink.url()).toURL().openConnection();
            String html = new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(html.contains("<img") && html.contains("stream.mjpg"), html);
            stop.set(true);
            feeder.join(5000);
        }
    }

    @Test
    void headlessChromiumShowsTheOverlayOnThePreviewPage() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        SystemTools.require(Files.isExecutable(chromium), "Chromium (" + chromium + ")", "chromium");
        Path dir = Files.createTempDirectory("segment-chromium-");
        AtomicBoolean stop = new AtomicBoolean();
        Process p = null;
        try (MjpegHttpSink sink = new MjpegHttpSink(0)) {
            sink.open(INFO);
            Thread feeder = feeder(sink, stop);
            Path shot = dir.resolve("shot.png");
            List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + dir.resolve("profile"), "--window-size=640,480",
                    "--virtual-time-budget=3000", "--screenshot=" + shot, sink.url());
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish within 60 s");
            assertTrue(Files.isRegularFile(shot), "no screenshot; chromium said:\n"
                    + Files.readString(dir.resolve("log")));
            BufferedImage img = ImageIO.read(shot.toFile());
            long person = 0;
            for (int y = 0; y < img.getHeight(); y += 4) {
                for (int x = 0; x < img.getWidth(); x += 4) {
                    if (TestFrame.near(img.getRGB(x, y), PERSON, 16)) {
                        person++;
                    }
                }
            }
            long total = (long) (img.getWidth() / 4) * (img.getHeight() / 4);
            assertTrue(person > total / 20, "the page should show the person overlay, " + person + " of " + total
                    + " sampled pixels; chromium log:\n" + Files.readString(dir.resolve("log")));
            stop.set(true);
            feeder.join(5000);
        } finally {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}

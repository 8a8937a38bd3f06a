package dev.segment.codecs.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoInfo;
import dev.segment.testing.HeadlessChromium;
import dev.segment.testing.SystemTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SystemTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MjpegHttpSinkTest {
    private static final int PERSON = 15;
    private static final VideoInfo INFO = new VideoInfo(320, 240, 25, -1, 0, 0, true, "rtsp://***@cam/live");

    /** Writes frames at about 25 fps on a background thread until stopped. */
    private static Thread feeder(MjpegHttpSink sink, AtomicBoolean stop) {
        Thread t = new Thread(
                () -> {
                    TestFrame f = new TestFrame(320, 240, PERSON);
                    for (int i = 0; i < 2000 && !stop.get(); i++) {
                        try {
                            sink.write(f.at(i, i * 40_000L));
                            Thread.sleep(40);
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                },
                "test-feeder");
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
            HttpURLConnection c = (HttpURLConnection)
                    URI.create(sink.url() + "stream.mjpg").toURL().openConnection();
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
                    assertTrue(
                            TestFrame.near(img.getRGB(60, 120), PERSON, 12),
                            "left half shows person colour, got " + Integer.toHexString(img.getRGB(60, 120)));
                    assertTrue(TestFrame.near(img.getRGB(260, 120), 0, 12), "right half background");
                }
                assertEquals(1, sink.clients());
            }
            c.disconnect();
            HttpURLConnection snap = (HttpURLConnection)
                    URI.create(sink.url() + "snapshot.jpg").toURL().openConnection();
            assertEquals("image/jpeg", snap.getContentType());
            assertNotNull(ImageIO.read(snap.getInputStream()));
            HttpURLConnection page =
                    (HttpURLConnection) URI.create(sink.url()).toURL().openConnection();
            String html = new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(html.contains("<img") && html.contains("stream.mjpg"), html);
            assertTrue(html.contains("rtsp://***@cam/live"), "the page names the source: " + html);
            HttpURLConnection none = (HttpURLConnection)
                    URI.create(sink.url() + "figures.json").toURL().openConnection();
            assertEquals(404, none.getResponseCode(), "no figures given, none served");
            stop.set(true);
            feeder.join(5000);
        }
    }

    @Test
    void headlessChromiumShowsTheOverlayOnThePreviewPage() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (HeadlessChromium chromium = HeadlessChromium.start();
                MjpegHttpSink sink = new MjpegHttpSink(0)) {
            sink.open(INFO);
            Thread feeder = feeder(sink, stop);
            BufferedImage img =
                    ImageIO.read(chromium.screenshot(sink.url(), 640, 480).toFile());
            long person = 0;
            for (int y = 0; y < img.getHeight(); y += 4) {
                for (int x = 0; x < img.getWidth(); x += 4) {
                    if (TestFrame.near(img.getRGB(x, y), PERSON, 16)) {
                        person++;
                    }
                }
            }
            long total = (long) (img.getWidth() / 4) * (img.getHeight() / 4);
            assertTrue(
                    person > total / 20,
                    "the page should show the person overlay, " + person + " of " + total
                            + " sampled pixels; chromium log:\n" + chromium.log());
            stop.set(true);
            feeder.join(5000);
        }
    }

    /**
     * The page shows the figures it is given beside the overlay and follows them: Chromium renders the page twice,
     * the figures having moved on in between, and the text of the rendered page shows each time's figures.
     */
    @Test
    void headlessChromiumReadsTheLiveFiguresOffThePage() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong frames = new AtomicLong(100);
        try (HeadlessChromium chromium = HeadlessChromium.start();
                MjpegHttpSink sink = new MjpegHttpSink(0)) {
            sink.showFigures(() -> {
                long out = frames.get();
                return new PreviewFigures(
                        25.0,
                        24.5,
                        out + 7,
                        out,
                        7,
                        41.0,
                        96.0,
                        PreviewFigures.classesInView(
                                new long[] {600, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, out}, 600 + out),
                        new PreviewFigures.Crf(true, 256, 144, 1, true),
                        new PreviewFigures.Keyframe(
                                out % 2 == 0, out % 2 == 0 ? "interval" : "carried", out / 8, out - out / 8),
                        true,
                        0);
            });
            sink.open(INFO);
            Thread feeder = feeder(sink, stop);
            HttpURLConnection json = (HttpURLConnection)
                    URI.create(sink.url() + "figures.json").toURL().openConnection();
            assertEquals("application/json", json.getContentType());
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.getInputStream());
            assertEquals(100, tree.get("framesOut").asLong(), tree::toString);
            assertEquals("#c08080", tree.get("classes").get(1).get("color").asText(), tree::toString);
            String first = pageText(chromium, sink);
            assertTrue(first.contains("100 out of 107"), first);
            assertTrue(first.contains("25.0") && first.contains("24.5"), "fps in and out: " + first);
            assertTrue(first.contains("7 (6.5%)"), "drops: " + first);
            assertTrue(first.contains("41 ms") && first.contains("96 ms"), "latency p50 and p99: " + first);
            assertTrue(first.contains("256x144, 1 warm iteration"), "CRF: " + first);
            assertTrue(first.contains("model (interval)") && first.contains("12 of 100 frames"), "keyframe: " + first);
            assertTrue(
                    first.contains("background")
                            && first.contains("85.7%")
                            && first.contains("person")
                            && first.contains("14.3%"),
                    "classes in view with their share: " + first);
            assertTrue(first.indexOf("background") < first.indexOf("person"), "largest first: " + first);
            frames.set(301);
            String second = pageText(chromium, sink);
            assertTrue(second.contains("301 out of 308"), second);
            assertTrue(second.contains("carried along the motion") && second.contains("37 of 301 frames"), second);
            assertTrue(second.contains("person") && second.contains("33.4%"), second);
            stop.set(true);
            feeder.join(5000);
        }
    }

    /** The text of the page as Chromium rendered it, after its scripts showed figures. */
    private static String pageText(HeadlessChromium chromium, MjpegHttpSink sink) throws Exception {
        String html = chromium.dom(sink.url(), 1000, 600);
        assertTrue(
                html.contains("data-updates"),
                "the page's script never showed figures:\n" + html + "\nchromium log:\n" + chromium.log());
        return HeadlessChromium.text(html);
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

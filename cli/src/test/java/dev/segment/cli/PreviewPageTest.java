package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.testing.HeadlessChromium;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser preview of a real run: {@code segment stream CAMERA --http-preview PORT} in a child JVM, read in
 * headless Chromium. The page shows the run's own figures (frames, rates, latency, classes, CRF, keyframes) and they
 * move on while the camera streams.
 */
@ModelTest
@SystemTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PreviewPageTest {
    /** A camera stand-in: FFmpeg's test pattern, 5 small frames a second, paced like a camera. */
    private static final String CAMERA = "lavfi:testsrc2=size=160x120:rate=5";

    private static final Pattern FRAMES = Pattern.compile("frames (\\d+) out of (\\d+)");

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheRunsFiguresAndTheyMoveOn() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        try (HeadlessChromium chromium = HeadlessChromium.start();
                ChildSegment child = ChildSegment.start(
                        List.of(),
                        List.of(),
                        dir.resolve("run.log"),
                        "stream",
                        CAMERA,
                        "--model",
                        Shared.model().toString(),
                        "--http-preview",
                        Integer.toString(port),
                        "--crf",
                        "on",
                        "--duration",
                        "150")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long firstOut = -1;
            String first = null;
            String later = null;
            while (System.nanoTime() < deadline && child.isAlive()) {
                if (!child.output().contains("browser preview at")) {
                    Thread.sleep(200);
                    continue;
                }
                String text = HeadlessChromium.text(chromium.dom(url, 1000, 600));
                Matcher m = FRAMES.matcher(text);
                if (!m.find() || Long.parseLong(m.group(1)) < 2) {
                    continue; // no frame out yet
                }
                if (first == null) {
                    first = text;
                    firstOut = Long.parseLong(m.group(1));
                } else if (Long.parseLong(m.group(1)) >= firstOut + 10) { // 2 s on: the input rate is measured
                    later = text;
                    break;
                }
            }
            assertTrue(
                    first != null && later != null,
                    "the page's frame count never moved on; run:\n" + child.output() + "\npage: " + first
                            + "\nchromium:\n" + chromium.log());
            assertTrue(first.contains(CAMERA), "names the source: " + first);
            assertTrue(later.matches(".*fps in \\d+\\.\\d fps out \\d+\\.\\d .*"), "both rates: " + later);
            assertTrue(later.matches(".*latency p50 \\d+ ms latency p99 \\d+ ms.*"), "latency: " + later);
            assertTrue(later.matches(".*CRF \\d+x\\d+, \\d (warm|cold) iterations?.*"), "CRF state: " + later);
            assertTrue(
                    later.matches(".*keyframe (model \\(\\w+\\)|carried along the motion) keyframes \\d+ of \\d+"
                            + " frames.*"),
                    "keyframe state: " + later);
            assertTrue(later.matches(".*in view( \\w+ \\d+\\.\\d%)+.*"), "classes in view with their share: " + later);
            assertTrue(later.contains("source connected"), later);
            assertNotEquals(first, later);
            child.signal("TERM");
            assertEquals(ExitCodes.TERMINATED, child.waitFor(60), child::output);
        }
    }
}

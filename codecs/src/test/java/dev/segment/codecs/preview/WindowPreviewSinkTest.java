package dev.segment.codecs.preview;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.SystemTest;
import dev.segment.testing.SystemTools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The window preview on a real X display: our own Xvfb when DISPLAY is unset (skipped when Xvfb is absent). */
@SystemTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WindowPreviewSinkTest {
    private static final int PERSON = 15;

    @Test
    void windowShowsOverlayColoursAndALegendOfThePresentClasses() throws Exception {
        SystemTools.require(
                Files.exists(Path.of(System.getProperty("java.home"), "lib", "libawt_xawt.so")),
                "X11 AWT for this JRE (" + System.getProperty("java.home") + " is a headless JRE)",
                "openjdk-17-jdk");
        String display = System.getenv("DISPLAY");
        Process xvfb = null;
        Path tmp = Files.createTempDirectory("segment-window-");
        Process child = null;
        try {
            if (display == null || display.isBlank()) {
                Path bin = Path.of("/usr/bin/Xvfb");
                SystemTools.require(Files.isExecutable(bin), "a display (DISPLAY is unset) or Xvfb", "xvfb");
                int n = freeDisplay();
                display = ":" + n;
                xvfb = new ProcessBuilder(bin.toString(), display, "-screen", "0", "800x600x24", "-nolisten", "tcp")
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("xvfb.log").toFile())
                        .start();
                Path socket = Path.of("/tmp/.X11-unix/X" + n);
                Process server = xvfb;
                await("Xvfb's socket " + socket)
                        .atMost(Duration.ofSeconds(30))
                        .failFast("Xvfb exited", () -> !server.isAlive())
                        .until(() -> Files.exists(socket));
            }
            Path shot = tmp.resolve("shot.png");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.awt.headless=false",
                    "-cp",
                    System.getProperty("java.class.path"),
                    WindowPreviewDemo.class.getName(),
                    shot.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("child.log").toFile());
            pb.environment().put("DISPLAY", display);
            child = pb.start();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "preview child hung");
            String log = Files.readString(tmp.resolve("child.log"));
            assertEquals(0, child.exitValue(), log);
            BufferedImage img = ImageIO.read(shot.toFile());
            int frameW = 320;
            assertTrue(
                    TestFrame.near(img.getRGB(frameW / 4, 120), PERSON, 10),
                    "overlay left half in person colour, " + "got " + Integer.toHexString(img.getRGB(frameW / 4, 120)));
            assertTrue(TestFrame.near(img.getRGB(frameW * 3 / 4, 120), 0, 10), "overlay right half background");
            // Legend: swatches for background (0) and person (15) at the right of the frame.
            int legendPerson = 0;
            for (int y = 0; y < 240; y++) {
                for (int x = frameW; x < img.getWidth(); x++) {
                    if (TestFrame.near(img.getRGB(x, y), PERSON, 4)) {
                        legendPerson++;
                    }
                }
            }
            assertTrue(legendPerson > 100, "a person swatch in the legend, " + legendPerson + " pixels");
            long textPixels = 0;
            for (int y = 0; y < 30; y++) {
                for (int x = frameW; x < img.getWidth(); x++) {
                    if ((img.getRGB(x, y) & 0xffffff) == 0xffffff) {
                        textPixels++;
                    }
                }
            }
            assertTrue(textPixels > 20, "the fps text is drawn in white above the legend");
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            if (xvfb != null) {
                xvfb.destroy();
                if (!xvfb.waitFor(5, TimeUnit.SECONDS)) {
                    xvfb.destroyForcibly();
                    xvfb.waitFor(5, TimeUnit.SECONDS);
                }
            }
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    private static int freeDisplay() {
        for (int n = 91; n < 160; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                return n;
            }
        }
        throw new IllegalStateException("no free X display number in :91..:159");
    }
}

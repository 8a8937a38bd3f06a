package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Ports;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legend is on by default wherever a video is written or watched (a recording, the browser preview); {@code
 * --legend off} turns it off. Checked on the pixels of the recorded overlay (the preview and the recording share
 * one overlay): the legend's band and letters change the top-left corner of a clip made from a real photo of a dog.
 */
@ModelTest
@SystemTest
class LegendDefaultTest {
    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path clip;
    private static BufferedImage input;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        clip = Ffmpeg.ffmpeg(
                dir.resolve("dog.mp4"),
                "-loop",
                "1",
                "-framerate",
                "5",
                "-t",
                "1",
                "-i",
                Shared.dir().resolve("data/images/deeplab_image2_dog.jpg").toString(),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p");
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void theLegendIsOnByDefaultAndTheFlagTurnsItOff() throws Exception {
        input = ImageIO.read(Ffmpeg.ffmpeg(dir.resolve("input.png"), "-i", clip.toString(), "-frames:v", "1")
                .toFile());
        int recording = legendPixels(stream("plain"));
        int preview = legendPixels(stream("preview", "--http-preview", Integer.toString(Ports.free())));
        int off = legendPixels(stream("off", "--legend", "off"));
        int previewOff = legendPixels(
                stream("preview-off", "--http-preview", Integer.toString(Ports.free()), "--legend", "off"));
        assertTrue(recording > 100, "legend drawn in a recording: " + recording + " band and letter pixels");
        assertTrue(preview > 100, "legend drawn with the preview: " + preview + " band and letter pixels");
        assertTrue(off < recording / 10, "--legend off wins: " + off + " against " + recording);
        assertTrue(previewOff < preview / 10, "--legend off wins: " + previewOff + " against " + preview);
    }

    private static Path stream(String name, String... extra) throws Exception {
        Path out = dir.resolve(name + ".mkv");
        String[] args = new String[8 + extra.length];
        String[] base = {
            "stream",
            clip.toString(),
            "--model",
            Shared.model().toString(),
            "--out",
            out.toString(),
            "--max-frames",
            "2"
        };
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Segment.Result r = Segment.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return Ffmpeg.ffmpeg(dir.resolve(name + ".png"), "-i", out.toString(), "-frames:v", "1");
    }

    /**
     * Pixels in the top-left corner (where the legend goes; the photo there is wall, background, which the overlay
     * leaves unchanged) that differ from the input clip's frame by more than codec noise.
     */
    private static int legendPixels(Path png) throws IOException {
        BufferedImage frame = ImageIO.read(png.toFile());
        int n = 0;
        for (int y = 0; y < frame.getHeight() / 10; y++) {
            for (int x = 0; x < frame.getWidth() / 5; x++) {
                int a = frame.getRGB(x, y);
                int b = input.getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    d = Math.max(d, Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)));
                }
                n += d > 60 ? 1 : 0;
            }
        }
        return n;
    }
}

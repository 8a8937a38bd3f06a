package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.codecs.VocPalette;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clip without any VOC object must come out (almost) all background: the first 30 frames of the people video
 * (before anyone walks in), cropped to its left 352 columns (white wall, a window, a wooden floor; the cropping leaves
 * out the small table, which is a VOC class).
 */
@ModelTest
@SystemTest
class NegativeClipTest {
    private static final int FRAMES = 30;

    @TempDir
    Path dir;

    @Test
    void emptyRoomIsBackgroundOnMoreThan98PercentOfThePixels() throws Exception {
        Path room = Ffmpeg.cut(Shared.peopleVideo(), 0, FRAMES, dir.resolve("empty-room.mp4"), "crop=352:432:0:0");
        Ffmpeg.Probe in = Ffmpeg.probe(room);
        Path masks = dir.resolve("masks");
        Segment.Result r = Segment.run(
                "convert",
                room.toString(),
                dir.resolve("room-out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                String.valueOf(FRAMES),
                "--masks",
                masks.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        long[] total = new long[256];
        double worst = 0;
        for (int i = 0; i < FRAMES; i++) {
            long[] counts = Masks.histogram(Masks.read(Masks.file(masks, i), in.width(), in.height()));
            double objects = 1 - counts[0] / (double) (in.width() * in.height());
            worst = Math.max(worst, objects);
            for (int c = 0; c < 256; c++) {
                total[c] += counts[c];
            }
        }
        long pixels = (long) FRAMES * in.width() * in.height();
        double mean = 1 - total[0] / (double) pixels;
        StringBuilder classes = new StringBuilder();
        for (int c = 1; c < 256; c++) {
            if (total[c] > 0) {
                classes.append(
                        String.format(Locale.ROOT, " %s %.4f%%", VocPalette.className(c), 100.0 * total[c] / pixels));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "empty room, %d frames: non-background %.4f%% of pixels on average, worst frame " + "%.4f%%;%s%n",
                FRAMES,
                100 * mean,
                100 * worst,
                classes);
        assertTrue(mean < 0.02, "mean non-background fraction " + mean + ":" + classes);
    }
}

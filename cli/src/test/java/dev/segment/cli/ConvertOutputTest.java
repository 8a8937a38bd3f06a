package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.codecs.VocPalette;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment convert} on 30 frames of a real clip where a person walks through (frames 80..109 of the people
 * video), judged by ffprobe and by ffmpeg's own decode of the input and the output.
 */
@ModelTest
@SystemTest
class ConvertOutputTest {
    private static final int START = 80;
    private static final int FRAMES = 30;
    private static final int W = 768;
    private static final int H = 432;

    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path output;
    private static Path masks;
    private static Path stats;
    private static Segment.Result run;

    @BeforeAll
    static void convert() throws Exception {
        model = Segment.holdModel();
        output = dir.resolve("people.mp4");
        masks = dir.resolve("masks");
        stats = dir.resolve("people.jsonl");
        run = Segment.run(
                "convert",
                Shared.peopleVideo().toString(),
                output.toString(),
                "--model",
                Shared.model().toString(),
                "--start",
                String.valueOf(START),
                "--frames",
                String.valueOf(FRAMES),
                "--masks",
                masks.toString(),
                "--stats",
                stats.toString(),
                "--overlay-style",
                "blend",
                "--legend",
                "off");
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void succeedsWithAOneScreenSummaryAndNoStackTrace() {
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertTrue(run.err().contains(output + ": " + FRAMES + " frames in "), run::toString);
        assertFalse(run.err().contains("\tat "), run::toString);
    }

    @Test
    void keepsFrameCountSizeAndFrameRateOfTheConvertedRange() throws Exception {
        Ffmpeg.Probe in = Ffmpeg.probe(Shared.peopleVideo());
        Ffmpeg.Probe out = Ffmpeg.probe(output);
        assertEquals(FRAMES, out.frames(), out::toString);
        assertEquals(in.width(), out.width(), out::toString);
        assertEquals(in.height(), out.height(), out::toString);
        assertEquals(in.fps(), out.fps(), 0.01, out::toString);
        assertEquals("h264", out.videoCodec());
        assertTrue(out.format().contains("mp4"), out::toString);
        assertEquals(FRAMES / in.fps(), out.durationSeconds(), 1.0 / in.fps(), out::toString);
    }

    @Test
    void masksSayPersonOnEveryFrameOfTheRange() throws Exception {
        double sum = 0;
        for (int i = 0; i < FRAMES; i++) {
            long[] counts = Masks.histogram(Masks.read(Masks.file(masks, START + i), W, H));
            double person = counts[Masks.PERSON] / (double) (W * H);
            assertTrue(person > 0.005, "frame " + (START + i) + ": person on " + person + " of the pixels");
            sum += person;
        }
        assertTrue(sum / FRAMES > 0.02, "mean person fraction " + sum / FRAMES);
        assertFalse(Files.exists(Masks.file(masks, START + FRAMES)), "one mask per converted frame, no more");
        assertFalse(Files.exists(Masks.file(masks, 0)), "masks are named after the input's frame numbers");
    }

    /**
     * Person pixels of the decoded output equal the decoded input blended 50/50 with the VOC person colour, background
     * pixels equal the input, both within codec tolerance (x264 at the default quality, 4:2:0 chroma). The same
     * comparison against the unblended input must be far off, so the check cannot pass on an untouched video.
     */
    @Test
    void overlayIsTheInputBlendedWithThePersonColourAndTheBackgroundIsUnchanged() throws Exception {
        List<byte[]> in = Ffmpeg.rgbFrames(Shared.peopleVideo(), W, H, START, FRAMES);
        List<byte[]> out = Ffmpeg.rgbFrames(output, W, H, 0, 0);
        assertEquals(FRAMES, in.size());
        assertEquals(FRAMES, out.size());
        int colour = VocPalette.rgb(Masks.PERSON);
        int[] c = {(colour >> 16) & 0xff, (colour >> 8) & 0xff, colour & 0xff};
        double personErr = 0;
        double personVsInput = 0;
        double backgroundErr = 0;
        long personSamples = 0;
        long backgroundSamples = 0;
        for (int f = 0; f < FRAMES; f++) {
            byte[] labels = Masks.read(Masks.file(masks, START + f), W, H);
            byte[] a = in.get(f);
            byte[] b = out.get(f);
            for (int p = 0; p < W * H; p++) {
                int label = labels[p] & 0xff;
                for (int ch = 0; ch < 3; ch++) {
                    int vin = a[p * 3 + ch] & 0xff;
                    int vout = b[p * 3 + ch] & 0xff;
                    if (label == Masks.PERSON) {
                        personErr += Math.abs(vout - Math.round(0.5 * vin + 0.5 * c[ch]));
                        personVsInput += Math.abs(vout - vin);
                        personSamples++;
                    } else if (label == 0) {
                        backgroundErr += Math.abs(vout - vin);
                        backgroundSamples++;
                    }
                }
            }
        }
        personErr /= personSamples;
        personVsInput /= personSamples;
        backgroundErr /= backgroundSamples;
        System.out.printf(
                Locale.ROOT,
                "overlay mean abs error: person %.2f (vs unblended input %.2f), background "
                        + "%.2f (0..255 per channel, %d person samples)%n",
                personErr,
                personVsInput,
                backgroundErr,
                personSamples);
        assertTrue(personErr < 6, "person pixels differ from the blend by " + personErr);
        assertTrue(backgroundErr < 4, "background pixels differ from the input by " + backgroundErr);
        assertTrue(
                personVsInput > 3 * personErr + 10,
                "person pixels are not blended: " + personVsInput + " from the input, " + personErr
                        + " from the blend");
    }

    @Test
    void statsHaveOneLinePerFrameWhoseFractionsAreTheMaskPixelCounts() throws Exception {
        List<String> lines = Files.readAllLines(stats);
        assertEquals(FRAMES, lines.size());
        ObjectMapper json = new ObjectMapper();
        List<String> names = VocPalette.classNames();
        for (int i = 0; i < FRAMES; i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertEquals(START + i, line.get("frame").asInt(), "the input's frame number");
            assertEquals((START + i) * 100.0, line.get("pts_ms").asDouble(), 0.5, "pts of frame " + (START + i));
            long[] counts = Masks.histogram(Masks.read(Masks.file(masks, START + i), W, H));
            JsonNode fractions = line.get("fractions");
            for (int id = 0; id < counts.length; id++) {
                String name = id < names.size() ? names.get(id) : "class" + id;
                if (counts[id] == 0) {
                    assertFalse(fractions.has(name), "frame " + i + " lists absent class " + name + ": " + line);
                    continue;
                }
                String expected = String.format(Locale.ROOT, "%.6f", counts[id] / (double) (W * H));
                assertTrue(fractions.has(name), "frame " + i + " misses " + name + ": " + line);
                assertEquals(
                        expected,
                        String.format(Locale.ROOT, "%.6f", fractions.get(name).asDouble()),
                        "frame " + i + " " + name);
            }
            assertEquals(java.util.Arrays.stream(counts).filter(n -> n > 0).count(), fractions.size(), line::toString);
        }
    }
}

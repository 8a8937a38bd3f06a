package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
        "--frames", "4", "--size", "160x90", "--object", "5", "--threads", "2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("frames: 4"), r.out());
    assertTrue(r.out().matches("(?s).*cold 10 \\(reference\\)\\s+[0-9.]+%\\s+100\\.00%.*"), r.out());
    assertTrue(r.out().matches("(?s).*warm 1\\s+[0-9.]+%.*\\s3\\n.*"), "3 of 4 frames warm:\n" + r.out());
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

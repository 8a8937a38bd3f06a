package dev.segment.crf.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the DenseCRF reference fixtures of ../shared/data/crf (see its README for the formats). */
public final class CrfFixtures {
  private static final Pattern KL = Pattern.compile("KL=(-?[0-9.]+)");

  private CrfFixtures() {}

  /** The shared data folder: system property segment.shared (set by surefire), else ../shared from the repo root. */
  public static Path shared() {
    String p = System.getProperty("segment.shared");
    if (p != null && Files.isDirectory(Paths.get(p))) {
      return Paths.get(p);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("data"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared data folder not found (set -Dsegment.shared)");
  }

  public static Path crf(String file) {
    return shared().resolve("data/crf").resolve(file);
  }

  /** An RGB image. */
  public record Image(int width, int height, ByteBuffer rgb) {}

  /** Reads a binary P6 PPM (maxval 255) into a direct buffer. */
  public static Image readPpm(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int[] pos = {0};
    String magic = token(bytes, pos);
    if (!magic.equals("P6")) {
      throw new IOException(file + ": not a binary PPM (magic " + magic + ")");
    }
    int w = Integer.parseInt(token(bytes, pos));
    int h = Integer.parseInt(token(bytes, pos));
    int max = Integer.parseInt(token(bytes, pos));
    if (max != 255) {
      throw new IOException(file + ": maxval " + max + ", only 255 is supported");
    }
    int start = pos[0] + 1;
    ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
    rgb.put(bytes, start, w * h * 3).flip();
    return new Image(w, h, rgb);
  }

  private static String token(byte[] b, int[] pos) {
    int i = pos[0];
    while (true) {
      while (Character.isWhitespace(b[i])) {
        i++;
      }
      if (b[i] == '#') {
        while (b[i] != '\n') {
          i++;
        }
      } else {
        break;
      }
    }
    int s = i;
    while (!Character.isWhitespace(b[i])) {
      i++;
    }
    pos[0] = i;
    return new String(b, s, i - s, StandardCharsets.US_ASCII);
  }

  /** Reads little-endian float32 [C][H][W] and returns it pixel-major [H][W][C] in a direct native-order buffer. */
  public static FloatBuffer readChwAsHwc(Path file, int classes, int pixels) throws IOException {
    FloatBuffer chw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    if (chw.remaining() != classes * pixels) {
      throw new IOException(file + ": " + chw.remaining() + " floats, expected " + classes * pixels);
    }
    FloatBuffer hwc = directFloats(classes * pixels);
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < pixels; i++) {
        hwc.put(i * classes + c, chw.get(c * pixels + i));
      }
    }
    return hwc;
  }

  public static byte[] readBytes(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  /** The KL values of a reference log, iteration 0 (Q0) first. */
  public static double[] readKl(Path log) throws IOException {
    List<Double> values = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher m = KL.matcher(line);
      if (line.startsWith("iter") && m.find()) {
        values.add(Double.parseDouble(m.group(1)));
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The unary -log(max(p, 1e-5)) in float, as the reference computes it. */
  public static FloatBuffer unaryOf(FloatBuffer prob) {
    FloatBuffer u = directFloats(prob.capacity());
    for (int i = 0; i < prob.capacity(); i++) {
      u.put(i, (float) -Math.log(Math.max(prob.get(i), 1e-5f)));
    }
    return u;
  }

  /**
   * The fixtures' probability rule for an annotation: annotated class 0.7, every other class 0.3/(C-1); unknown
   * (255) pixels 1/C.
   */
  public static FloatBuffer probabilitiesFromAnnotation(byte[] anno, int classes) {
    FloatBuffer p = directFloats(anno.length * classes);
    for (int i = 0; i < anno.length; i++) {
      int a = anno[i] & 0xff;
      for (int c = 0; c < classes; c++) {
        float v = a == 255 ? 1f / classes : (c == a ? 0.7f : 0.3f / (classes - 1));
        p.put(i * classes + c, v);
      }
    }
    return p;
  }

  /** Nearest-neighbour 2x upscale of a label image. */
  public static byte[] upscale2x(byte[] labels, int width, int height) {
    byte[] out = new byte[labels.length * 4];
    for (int y = 0; y < height * 2; y++) {
      for (int x = 0; x < width * 2; x++) {
        out[y * width * 2 + x] = labels[(y / 2) * width + x / 2];
      }
    }
    return out;
  }

  public static FloatBuffer directFloats(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}

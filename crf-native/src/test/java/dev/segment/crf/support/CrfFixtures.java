package dev.segment.crf.support;

import dev.segment.crf.io.FixtureFiles;
import dev.segment.crf.io.RgbImage;
import dev.segment.testing.Shared;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the DenseCRF reference fixtures of ../shared/data/crf (see its README for the formats). */
public final class CrfFixtures {
    private static final Pattern KL = Pattern.compile("KL=(-?[0-9.]+)");

    private CrfFixtures() {}

    /** The shared data folder ({@link Shared#dir()}). */
    public static Path shared() {
        return Shared.dir();
    }

    public static Path crf(String file) {
        return shared().resolve("data/crf").resolve(file);
    }

    public static RgbImage readPpm(Path file) throws IOException {
        return FixtureFiles.readPpm(file);
    }

    public static FloatBuffer readChwAsHwc(Path file, int classes, int pixels) throws IOException {
        return FixtureFiles.readPlanesAsHwc(file, classes, pixels);
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

    public static FloatBuffer unaryOf(FloatBuffer prob) {
        return FixtureFiles.unaryOf(prob);
    }

    /**
     * The fixtures' probability rule: annotated class 0.7, every other class 0.3/(C-1); unknown pixels 1/C. The
     * annotation file stores pydensecrf's encoding (0 = unknown, k = class k-1), not the README's; this rule
     * reproduces both im1_320x240_C*.prob.f32 files (max difference 1e-9, float rounding of 0.3/20).
     */
    public static FloatBuffer probabilitiesFromAnnotation(byte[] anno, int classes) {
        FloatBuffer p = directFloats(anno.length * classes);
        for (int i = 0; i < anno.length; i++) {
            int a = anno[i] & 0xff;
            for (int c = 0; c < classes; c++) {
                float v = a == 0 ? 1f / classes : (c == a - 1 ? 0.7f : 0.3f / (classes - 1));
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
        return FixtureFiles.directFloats(n);
    }
}

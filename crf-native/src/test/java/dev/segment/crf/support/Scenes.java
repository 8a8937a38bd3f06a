package dev.segment.crf.support;

import dev.segment.crf.io.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Two frames of one scene from the fixture photo (geese on water, 320x240): with the geese, and with every goose
 * pixel painted over by the nearest water pixel of its column (so the geese are absent). Probabilities follow the
 * fixtures' rule (annotated class 0.7, others 0.3/(C-1), unknown 1/C); in the empty frame the geese's pixels are
 * annotated water.
 */
public final class Scenes {
    public static final int GEESE = 0;
    public static final int WATER = 1;

    private Scenes() {}

    /**
     * One frame.
     *
     * @param image RGB
     * @param annotation per pixel: 0 unknown, k = class k-1 (the fixture's encoding)
     * @param probabilities pixel-major, C classes
     */
    public record Frame(RgbImage image, byte[] annotation, FloatBuffer probabilities) {}

    public static Frame withGeese(int classes) throws IOException {
        RgbImage image = CrfFixtures.readPpm(CrfFixtures.crf("im1_320x240.ppm"));
        byte[] anno = CrfFixtures.readBytes(CrfFixtures.crf("im1_320x240.anno.u8"));
        return new Frame(image, anno, CrfFixtures.probabilitiesFromAnnotation(anno, classes));
    }

    public static Frame withoutGeese(int classes) throws IOException {
        Frame full = withGeese(classes);
        int w = full.image().width();
        int h = full.image().height();
        byte[] anno = full.annotation().clone();
        ByteBuffer src = full.image().rgb();
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < w * h * 3; i++) {
            rgb.put(i, src.get(i));
        }
        boolean[] goose = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            goose[i] = anno[i] == GEESE + 1;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!goose[i]) {
                    continue;
                }
                int from = -1;
                for (int d = 1; d < h && from < 0; d++) {
                    if (y + d < h && !goose[(y + d) * w + x]) {
                        from = (y + d) * w + x;
                    } else if (y - d >= 0 && !goose[(y - d) * w + x]) {
                        from = (y - d) * w + x;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    rgb.put(i * 3 + c, src.get(from * 3 + c));
                }
                anno[i] = WATER + 1;
            }
        }
        return new Frame(new RgbImage(w, h, rgb), anno, CrfFixtures.probabilitiesFromAnnotation(anno, classes));
    }

    /** Fraction of the pixels annotated `cls` in `truth` that are labelled `cls`. */
    public static double recall(ByteBuffer labels, byte[] truth, int cls) {
        int hit = 0;
        int total = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == cls + 1) {
                total++;
                if (labels.get(i) == cls) {
                    hit++;
                }
            }
        }
        return hit / (double) total;
    }

    public static int count(ByteBuffer labels, int cls) {
        int n = 0;
        for (int i = 0; i < labels.capacity(); i++) {
            if (labels.get(i) == cls) {
                n++;
            }
        }
        return n;
    }
}

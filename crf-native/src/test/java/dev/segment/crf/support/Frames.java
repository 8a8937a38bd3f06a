package dev.segment.crf.support;

import dev.segment.config.CrfBackend;
import dev.segment.crf.CrfParams;
import dev.segment.crf.DenseCrf;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.Start;
import dev.segment.crf.io.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** Inputs and one-call helpers shared by the CRF tests. */
public final class Frames {
    private Frames() {}

    /** The fixture photo at 640x480 with the fixtures' 21-class probabilities (from the upscaled annotation). */
    public static Input im1At640(int classes) throws IOException {
        RgbImage image = CrfFixtures.readPpm(CrfFixtures.crf("im1_640x480.ppm"));
        byte[] anno = CrfFixtures.upscale2x(CrfFixtures.readBytes(CrfFixtures.crf("im1_320x240.anno.u8")), 320, 240);
        return new Input(image, classes, CrfFixtures.probabilitiesFromAnnotation(anno, classes));
    }

    /**
     * A frame, its class count and per-pixel probabilities (pixel-major).
     *
     * @param image the RGB frame
     * @param classes C
     * @param probabilities width*height*C floats
     */
    public record Input(RgbImage image, int classes, FloatBuffer probabilities) {
        public int pixels() {
            return image.pixels();
        }

        public FloatBuffer unary() {
            return CrfFixtures.unaryOf(probabilities);
        }
    }

    /**
     * Result of one run.
     *
     * @param q final Q
     * @param labels argmax labels
     */
    public record Output(FloatBuffer q, ByteBuffer labels) {}

    public static Output run(Input in, CrfParams params, int threads, int iterations) {
        try (DenseCrf crf = DenseCrf.open(params, CrfBackend.CPU, threads)) {
            return run(crf, in, iterations);
        }
    }

    public static Output run(DenseCrf crf, Input in, int iterations) {
        FloatBuffer q = CrfFixtures.directFloats(in.pixels() * in.classes());
        ByteBuffer labels = ByteBuffer.allocateDirect(in.pixels());
        crf.infer(
                in.image().rgb(),
                in.image().width(),
                in.image().height(),
                in.classes(),
                in.unary(),
                ScoreKind.UNARY,
                q,
                Start.COLD,
                iterations,
                labels,
                null);
        return new Output(q, labels);
    }

    public static double maxAbsDiff(FloatBuffer a, FloatBuffer b) {
        double m = 0;
        for (int i = 0; i < a.capacity(); i++) {
            m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
        }
        return m;
    }

    public static double agreement(ByteBuffer a, ByteBuffer b) {
        int same = 0;
        for (int i = 0; i < a.capacity(); i++) {
            if (a.get(i) == b.get(i)) {
                same++;
            }
        }
        return same / (double) a.capacity();
    }

    public static double agreement(ByteBuffer a, byte[] b) {
        return agreement(a, ByteBuffer.wrap(b));
    }
}

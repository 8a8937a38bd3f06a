package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.CrfBackend;
import dev.segment.crf.support.CrfFixtures;
import dev.segment.crf.support.Scenes;
import dev.segment.crf.support.Scenes.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Class pruning on a warm-started stream: the geese scene with the geese as class 17 and the water as class 4 of 21,
 * every other class under the pipeline's threshold. The pruned CRF (8 classes computed) must label as the full one
 * (21), keep the original class ids, give the classes left out Q = 0, and still find the geese in the frame they
 * appear in and drop them in the frame they leave.
 */
class ClassPruningTest {
    private static final int C = 21;
    private static final int GEESE = 17;
    private static final int WATER = 4;

    /** Annotated class 0.9, the scene's other class 0.09, the 19 others 0.01 / 19 (unknown pixels: 0.5 / 0.49). */
    private static FloatBuffer probabilities(byte[] anno) {
        FloatBuffer p = CrfFixtures.directFloats(anno.length * C);
        float rest = 0.01f / (C - 2);
        for (int i = 0; i < anno.length; i++) {
            for (int c = 0; c < C; c++) {
                p.put(i * C + c, rest);
            }
            int a = anno[i];
            int first = a == Scenes.GEESE + 1 ? GEESE : WATER;
            int second = first == GEESE ? WATER : GEESE;
            p.put(i * C + first, a == 0 ? 0.5f : 0.9f);
            p.put(i * C + second, a == 0 ? 0.49f : 0.09f);
        }
        return p;
    }

    private static ByteBuffer run(TemporalCrf crf, Frame f) {
        ByteBuffer labels = ByteBuffer.allocateDirect(f.image().pixels());
        crf.process(f.image().rgb(), f.image().width(), f.image().height(), probabilities(f.annotation()), C, labels);
        return labels;
    }

    @Test
    void shouldLabelAsTheFullCrfOnFewerClassesAcrossAnAppearingAndALeavingObject() throws IOException {
        Frame empty = Scenes.withoutGeese(C);
        Frame geese = Scenes.withGeese(C);
        List<Frame> frames = List.of(empty, geese, geese, empty, empty);
        TemporalCrfConfig config = TemporalCrfConfig.defaults()
                .withBackend(CrfBackend.CPU)
                .withThreads(2)
                .withClassPruning(TemporalCrfConfig.PIPELINE_CLASS_PRUNING);
        assertEquals(0.0, TemporalCrfConfig.defaults().classPruning(), "off unless asked for");
        try (TemporalCrf pruned = new TemporalCrf(config);
                TemporalCrf full = new TemporalCrf(config.withClassPruning(0))) {
            for (int k = 0; k < frames.size(); k++) {
                Frame f = frames.get(k);
                ByteBuffer a = run(pruned, f);
                ByteBuffer b = run(full, f);
                assertEquals(k > 0, pruned.lastWasWarm(), "frame " + k);
                assertEquals(8, pruned.lastClassesComputed(), "frame " + k + ": 2 classes take part, padded to 8");
                assertEquals(C, full.lastClassesComputed());
                int agree = 0;
                int n = f.image().pixels();
                for (int i = 0; i < n; i++) {
                    int label = a.get(i);
                    assertTrue(label == GEESE || label == WATER, "frame " + k + " pixel " + i + ": label " + label);
                    if (label == b.get(i)) {
                        agree++;
                    }
                }
                System.out.printf(
                        "class pruning, frame %d: labels agree %.4f%% with all classes%n", k, 100.0 * agree / n);
                assertTrue(agree >= 0.999 * n, "frame " + k + ": " + agree + " of " + n + " labels agree");
                int geesePixels = Scenes.count(a, GEESE);
                if (f == geese) {
                    assertTrue(
                            geesePixels > 0.5 * Scenes.count(b, GEESE), "frame " + k + ": geese found " + geesePixels);
                } else {
                    assertEquals(0, geesePixels, "frame " + k + ": no geese in an empty frame");
                }
                FloatBuffer q = pruned.q();
                for (int i = 0; i < n; i += 97) {
                    float sum = 0;
                    for (int c = 0; c < C; c++) {
                        float v = q.get(i * C + c);
                        if (c != GEESE && c != WATER) {
                            assertEquals(0f, v, "Q of a class left out, pixel " + i + " class " + c);
                        }
                        sum += v;
                    }
                    assertEquals(1.0, sum, 1e-4, "Q sums to 1 at pixel " + i);
                }
            }
        }
    }

    @Test
    void shouldRunEveryClassWhenAllMatterOrWhenOffOrForKl() throws IOException {
        Frame geese = Scenes.withGeese(C);
        try (DenseCrf crf = DenseCrf.open(CrfParams.pipelineDefault(), CrfBackend.CPU, 2)) {
            ByteBuffer labels = ByteBuffer.allocateDirect(geese.image().pixels());
            int w = geese.image().width();
            int h = geese.image().height();
            crf.setClassPruning(0.01);
            // The fixtures' rule gives every class at least 0.3 / 20 = 0.015 somewhere: nothing to prune at 0.01.
            crf.infer(
                    geese.image().rgb(),
                    w,
                    h,
                    C,
                    geese.probabilities(),
                    ScoreKind.PROBABILITIES,
                    null,
                    Start.COLD,
                    1,
                    labels,
                    null);
            assertEquals(C, crf.lastClassesComputed());
            crf.infer(
                    geese.image().rgb(),
                    w,
                    h,
                    C,
                    probabilities(geese.annotation()),
                    ScoreKind.PROBABILITIES,
                    null,
                    Start.COLD,
                    1,
                    labels,
                    null);
            assertEquals(8, crf.lastClassesComputed());
            crf.infer(
                    geese.image().rgb(),
                    w,
                    h,
                    C,
                    probabilities(geese.annotation()),
                    ScoreKind.PROBABILITIES,
                    null,
                    Start.COLD,
                    1,
                    labels,
                    new double[2]);
            assertEquals(C, crf.lastClassesComputed(), "the KL is over every class");
            crf.setClassPruning(0);
            crf.infer(
                    geese.image().rgb(),
                    w,
                    h,
                    C,
                    probabilities(geese.annotation()),
                    ScoreKind.PROBABILITIES,
                    null,
                    Start.COLD,
                    1,
                    labels,
                    null);
            assertEquals(C, crf.lastClassesComputed());
            assertThrows(IllegalArgumentException.class, () -> crf.setClassPruning(-0.1));
            assertThrows(IllegalArgumentException.class, () -> crf.setClassPruning(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> crf.setClassPruning(1.5));
        }
    }
}

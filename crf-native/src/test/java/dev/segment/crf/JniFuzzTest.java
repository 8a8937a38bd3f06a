package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.CrfBackend;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native entry points, called directly with wrong shapes, short, non-direct and null buffers, zero and huge
 * sizes: every call must end in a Java exception (or succeed when its arguments are in fact valid), never a crash.
 */
class JniFuzzTest {
    private long handle;

    @BeforeEach
    void open() {
        DenseCrf.ensureAvailability();
        handle = CrfLibrary.create(CrfLibrary.BACKEND_CPU, 2, false, "");
    }

    @AfterEach
    void close() {
        CrfLibrary.destroy(handle);
    }

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.allocateDirect(n);
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private void run(
            Buffer rgb,
            int w,
            int h,
            int c,
            Buffer scores,
            Buffer q,
            int start,
            int iterations,
            Buffer labels,
            double[] kl) {
        CrfLibrary.run(
                handle,
                rgb,
                0,
                w,
                h,
                c,
                scores,
                0,
                0,
                q,
                0,
                start,
                0.5f,
                0.5f,
                2,
                0f,
                10f,
                8,
                iterations,
                labels,
                0,
                kl,
                new double[6]);
    }

    @Test
    void shouldRejectEveryMalformedCallWithAnException() {
        assertThrows(
                IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(7), floats(8), 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(11), 2, 2, 2, floats(8), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(8), floats(7), 1, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(8), null, 1, 1, null, null));
        assertThrows(
                IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(8), null, 0, 1, bytes(3), null));
        assertThrows(
                IllegalArgumentException.class,
                () -> run(ByteBuffer.allocate(12), 2, 2, 2, floats(8), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> run(bytes(12), 2, 2, 2, FloatBuffer.allocate(8), null, 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(null, 2, 2, 2, floats(8), null, 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, null, null, 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(0), 0, 0, 2, floats(0), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class, () -> run(bytes(12), -2, -2, 2, floats(8), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> run(bytes(12), 65536, 65536, 2, floats(8), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> run(bytes(12), Integer.MAX_VALUE, Integer.MAX_VALUE, 2, floats(8), null, 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 0, floats(8), null, 0, 1, null, null));
        assertThrows(
                IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 300, floats(8), null, 0, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(8), null, 0, -1, null, null));
        assertThrows(IllegalArgumentException.class, () -> run(bytes(12), 2, 2, 2, floats(8), null, 7, 1, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> run(bytes(12), 2, 2, 2, floats(8), null, 0, 3, null, new double[3]));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), -1, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, 0f, 10f, 0, 1, null,
                        0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), 1, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, 0f, 10f, 0, 1, null,
                        0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), 0, 2, 2, 2, floats(8), 0, 0, null, 0, 0, Float.NaN, 0.5f, 0, 0f, 10f, 0, 1,
                        null, 0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        0, bytes(12), 0, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, 0f, 10f, 0, 1, null, 0,
                        null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), 0, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, -1f, 10f, 0, 1, null,
                        0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), 0, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, 1f, 0f, 0, 1, null,
                        0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle, bytes(12), 0, 2, 2, 2, floats(8), 0, 3, null, 0, 0, 0.5f, 0.5f, 0, 0f, 10f, 0, 1, null,
                        0, null, null));
        for (int motion : new int[] {-1, 257}) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> CrfLibrary.run(
                            handle, bytes(12), 0, 2, 2, 2, floats(8), 0, 0, null, 0, 0, 0.5f, 0.5f, 0, 0f, 10f, motion,
                            1, null, 0, null, null));
        }
        for (float t : new float[] {-0.5f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setClassPruning(handle, t));
        }
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setClassPruning(0, 0.01f));
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setParams(handle, 0, 3, 80, 13, 10));
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setParams(handle, 3, Float.NaN, 80, 13, 10));
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setParams(handle, 3, 3, 80, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.create(CrfLibrary.BACKEND_CPU, 0, false, ""));
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.create(7, 1, false, ""));
        assertThrows(CrfException.class, () -> CrfLibrary.create(CrfLibrary.BACKEND_CUDA, 1, false, "/nonexistent.so"));
        // Features too large for the lattice's 16-bit keys: a named error, not an overflow.
        CrfLibrary.setParams(handle, 0.01f, 3, 80, 13, 10);
        assertThrows(
                IllegalArgumentException.class,
                () -> run(bytes(3 * 4096 * 16), 4096, 16, 2, floats(2 * 4096 * 16), null, 0, 1, null, null));
    }

    @Test
    void shouldRejectMalformedLogitGrids() {
        // Score kind 3 before any geometry: named error.
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(12),
                        0,
                        2,
                        2,
                        2,
                        floats(8),
                        0,
                        CrfLibrary.SCORES_LOGIT_GRID,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        for (int[] g : new int[][] {
            {0, 2, 8, 8, 4},
            {2, -1, 8, 8, 4},
            {2, 2, 0, 8, 4},
            {2, 2, 8, 8, 0},
            {70000, 2, 8, 8, 4},
            {2, 2, 8, Integer.MAX_VALUE, 4},
            {Integer.MIN_VALUE, 2, 8, 8, 4}
        }) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> CrfLibrary.setScoreGrid(handle, g[0], g[1], g[2], g[3], g[4]));
        }
        assertThrows(IllegalArgumentException.class, () -> CrfLibrary.setScoreGrid(0, 2, 2, 8, 8, 4));
        CrfLibrary.setScoreGrid(handle, 3, 2, 17, 9, 8);
        // The grid (3 x 2 cells x 2 classes = 12 floats) one float short, null, heap: rejected.
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(300),
                        0,
                        10,
                        10,
                        2,
                        floats(11),
                        0,
                        CrfLibrary.SCORES_LOGIT_GRID,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(300),
                        0,
                        10,
                        10,
                        2,
                        null,
                        0,
                        CrfLibrary.SCORES_LOGIT_GRID,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(300),
                        0,
                        10,
                        10,
                        2,
                        FloatBuffer.allocate(12),
                        0,
                        CrfLibrary.SCORES_LOGIT_GRID,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(300),
                        0,
                        10,
                        10,
                        2,
                        floats(12),
                        1,
                        CrfLibrary.SCORES_LOGIT_GRID,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrfLibrary.run(
                        handle,
                        bytes(300),
                        0,
                        10,
                        10,
                        2,
                        floats(12),
                        0,
                        4,
                        null,
                        0,
                        0,
                        0.5f,
                        0.5f,
                        0,
                        0f,
                        10f,
                        0,
                        1,
                        null,
                        0,
                        null,
                        null));
        // The same call with a grid of the right size runs, at any output size (the frame need not match the grid).
        ByteBuffer labels = bytes(100);
        CrfLibrary.run(
                handle,
                bytes(300),
                0,
                10,
                10,
                2,
                floats(12),
                0,
                CrfLibrary.SCORES_LOGIT_GRID,
                null,
                0,
                0,
                0.5f,
                0.5f,
                0,
                0f,
                10f,
                0,
                1,
                labels,
                0,
                null,
                new double[6]);
        CrfLibrary.run(
                handle,
                bytes(3),
                0,
                1,
                1,
                2,
                floats(12),
                0,
                CrfLibrary.SCORES_LOGIT_GRID,
                null,
                0,
                0,
                0.5f,
                0.5f,
                0,
                0f,
                10f,
                0,
                1,
                labels,
                0,
                null,
                new double[6]);
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int gw = 1 + random.nextInt(6);
            int gh = 1 + random.nextInt(6);
            int c = 1 + random.nextInt(24);
            int w = 1 + random.nextInt(30);
            int h = 1 + random.nextInt(30);
            CrfLibrary.setScoreGrid(
                    handle, gw, gh, 1 + random.nextInt(60), 1 + random.nextInt(60), 1 + random.nextInt(9));
            FloatBuffer grid = floats(gw * gh * c);
            for (int i = 0; i < gw * gh * c; i++) {
                grid.put(i, random.nextFloat() * 20 - 10);
            }
            ByteBuffer out = bytes(w * h);
            CrfLibrary.setClassPruning(handle, trial % 2 == 0 ? 0f : 0.05f);
            CrfLibrary.run(
                    handle,
                    bytes(w * h * 3),
                    0,
                    w,
                    h,
                    c,
                    grid,
                    0,
                    CrfLibrary.SCORES_LOGIT_GRID,
                    null,
                    0,
                    0,
                    0.5f,
                    0.5f,
                    0,
                    0f,
                    10f,
                    0,
                    1,
                    out,
                    0,
                    null,
                    new double[6]);
            for (int i = 0; i < w * h; i++) {
                assertTrue((out.get(i) & 0xff) < c, "label out of range");
            }
        }
    }

    @Test
    void shouldSurviveRandomShapesAndSizes() {
        Random random = new Random(42);
        int accepted = 0;
        for (int trial = 0; trial < 400; trial++) {
            int w = random.nextInt(40) - 4;
            int h = random.nextInt(40) - 4;
            int c = random.nextInt(30) - 2;
            int pixels = Math.max(0, w) * Math.max(0, h);
            int slack = random.nextInt(5) - 2;
            int rgbLen = Math.max(0, pixels * 3 + (random.nextInt(4) == 0 ? slack : 0));
            int scoreLen = Math.max(0, pixels * Math.max(c, 0) + (random.nextInt(4) == 0 ? slack : 0));
            int start = random.nextInt(4) - 1 + (random.nextInt(6) == 0 ? 5 : 0);
            int iterations = random.nextInt(4) - 1;
            FloatBuffer scores = floats(scoreLen);
            for (int i = 0; i < scoreLen; i++) {
                scores.put(i, random.nextFloat() * 5);
            }
            FloatBuffer q = random.nextBoolean() ? floats(scoreLen) : null;
            ByteBuffer labels =
                    random.nextBoolean() ? bytes(Math.max(0, pixels + (random.nextInt(3) == 0 ? slack : 0))) : null;
            double[] kl = random.nextBoolean()
                    ? new double[Math.max(0, iterations + 1 + (random.nextBoolean() ? -1 : 0))]
                    : null;
            CrfLibrary.setParams(
                    handle,
                    1 + random.nextFloat() * 5,
                    random.nextFloat() * 5,
                    1 + random.nextFloat() * 80,
                    1 + random.nextFloat() * 20,
                    random.nextFloat() * 10);
            CrfLibrary.setClassPruning(handle, random.nextBoolean() ? 0f : random.nextFloat());
            try {
                run(bytes(rgbLen), w, h, c, scores, q, start, iterations, labels, kl);
                accepted++;
            } catch (IllegalArgumentException expected) {
                // rejected with a message: fine
            }
        }
        assertTrue(accepted > 20, "some random calls are valid and must run: " + accepted);
    }

    @Test
    void shouldRejectWrongByteOrderReadOnlyOutputAndUseAfterClose() {
        DenseCrf crf = DenseCrf.open(CrfParams.reference(), CrfBackend.CPU, 1);
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(32).asFloatBuffer();
        assertThrows(
                IllegalArgumentException.class,
                () -> crf.infer(bytes(12), 2, 2, 2, bigEndian, ScoreKind.UNARY, null, Start.COLD, 1, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> crf.infer(
                        bytes(12),
                        2,
                        2,
                        2,
                        floats(8),
                        ScoreKind.UNARY,
                        floats(8).asReadOnlyBuffer(),
                        Start.COLD,
                        1,
                        null,
                        null));
        crf.infer(bytes(12), 2, 2, 2, floats(8), ScoreKind.UNARY, floats(8), Start.COLD, 1, bytes(4), null);
        crf.close();
        crf.close();
        assertThrows(
                IllegalStateException.class,
                () -> crf.infer(bytes(12), 2, 2, 2, floats(8), ScoreKind.UNARY, null, Start.COLD, 1, null, null));
    }
}

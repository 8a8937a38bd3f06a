package dev.segment.engine;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.CrfConfig;
import dev.segment.crf.Backend;
import dev.segment.crf.CrfParams;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.TemporalCrf;
import dev.segment.crf.TemporalCrfConfig;
import dev.segment.crf.WarmGate;
import dev.segment.engine.deeplab.internal.AreaResizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The pipeline's CRF stage: upsamples the model's scores bilinearly to the CRF resolution (the frame's, or
 * {@code crf.scale} of it; the CRF takes the logits and does the softmax), then the warm-started DenseCRF of {@link TemporalCrf}, and labels scaled back
 * to the frame (nearest neighbour) when the CRF ran smaller. All buffers are direct and reused; they are reallocated
 * only when the frame size changes. One instance per stream; used from the CRF stage's thread only.
 */
public final class CrfRefiner implements LabelRefiner {
    private final TemporalCrf temporal;
    private final double scale;
    private int frameWidth;
    private int frameHeight;
    private int crfWidth;
    private int crfHeight;
    private int classes;
    private FloatBuffer logits; // the model's scores at CRF size, HWC
    private ByteBuffer smallRgb;
    private ByteBuffer smallLabels;
    private float[] resized;
    private AreaResizer resizer;

    public CrfRefiner(CrfConfig config) {
        this.scale = config.scale();
        this.temporal = new TemporalCrf(temporalConfig(config));
    }

    /** The crf-native settings for a pipeline configuration. */
    public static TemporalCrfConfig temporalConfig(CrfConfig c) {
        CrfParams params = new CrfParams(c.gaussian().sxy(), c.gaussian().weight(), c.bilateral().sxy(),
                c.bilateral().srgb(), c.bilateral().weight());
        Backend backend = switch (c.backend()) {
            case AUTO -> Backend.AUTO;
            case CPU -> Backend.CPU;
            case CUDA -> Backend.CUDA;
        };
        return TemporalCrfConfig.defaults()
                .withIterations(c.iterations(), c.warmIterations())
                .withParams(params)
                .withThreads(c.threads())
                .withBackend(backend)
                .withWarmStart(c.warmStart())
                .withSceneCutThreshold(c.sceneCutThreshold())
                .withGate(WarmGate.DEFAULT.withTemporal(c.temporal().weight(), c.temporal().srgb())
                    .withMotionRange(c.cameraMotion()));
    }

    /** E.g. "cpu (x86-64-v3 (AVX2, FMA), 2 threads)", and why it was chosen. */
    public String backendDescription() {
        return temporal.backendName() + "; " + temporal.backendReason();
    }

    @Override
    public Result refine(VideoFrame frame, ScoreGrid scores, ByteBuffer labelsOut) {
        int w = frame.width();
        int h = frame.height();
        ensureBuffers(w, h, scores.classes());
        scores.logits(crfWidth, crfHeight, logits);
        ByteBuffer rgb = frame.rgb();
        int iterations;
        if (resizer == null) {
            iterations = temporal.process(rgb, w, h, logits, ScoreKind.LOGITS, classes, labelsOut.duplicate().clear());
        } else {
            resizer.resize(rgb, resized);
            for (int i = 0; i < crfWidth * crfHeight * 3; i++) {
                smallRgb.put(i, (byte) Math.min(255, Math.round(resized[i])));
            }
            iterations = temporal.process(smallRgb, crfWidth, crfHeight, logits, ScoreKind.LOGITS, classes, smallLabels);
            upscaleLabels(labelsOut, w, h);
        }
        return new Result(iterations, temporal.lastWasWarm());
    }

    private void upscaleLabels(ByteBuffer out, int w, int h) {
        for (int y = 0; y < h; y++) {
            int sy = Math.min(crfHeight - 1, (int) ((y + 0.5) * crfHeight / h));
            int srow = sy * crfWidth;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int sx = Math.min(crfWidth - 1, (int) ((x + 0.5) * crfWidth / w));
                out.put(row + x, smallLabels.get(srow + sx));
            }
        }
    }

    private void ensureBuffers(int w, int h, int c) {
        if (w == frameWidth && h == frameHeight && c == classes) {
            return;
        }
        frameWidth = w;
        frameHeight = h;
        classes = c;
        crfWidth = Math.max(1, (int) Math.round(w * scale));
        crfHeight = Math.max(1, (int) Math.round(h * scale));
        logits = ByteBuffer.allocateDirect(crfWidth * crfHeight * c * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (crfWidth == w && crfHeight == h) {
            resizer = null;
            smallRgb = null;
            smallLabels = null;
            resized = null;
        } else {
            resizer = new AreaResizer(w, h, crfWidth, crfHeight);
            resized = new float[crfWidth * crfHeight * 3];
            smallRgb = ByteBuffer.allocateDirect(crfWidth * crfHeight * 3);
            smallLabels = ByteBuffer.allocateDirect(crfWidth * crfHeight);
        }
    }

    @Override
    public void reset(String reason) {
        temporal.reset(reason);
    }

    @Override
    public void close() {
        temporal.close();
    }
}

package dev.segment.engine.crf;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST_EXACT;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.CrfConfig;
import dev.segment.crf.CrfParams;
import dev.segment.crf.CrfTimings;
import dev.segment.crf.LogitGrid;
import dev.segment.crf.TemporalCrf;
import dev.segment.crf.TemporalCrfConfig;
import dev.segment.crf.WarmGate;
import dev.segment.engine.LabelRefiner;
import dev.segment.engine.ScoreGrid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's CRF stage: hands the model's low-resolution logits grid and its geometry to the warm-started DenseCRF
 * of {@link TemporalCrf}, which upsamples it bilinearly to the CRF resolution (the frame's, or {@code crf.scale} of
 * it, lowered to {@code crf.maxPixels}) fused with its softmax, natively; labels are scaled back to the frame (nearest
 * neighbour) when the CRF ran smaller, with the kernels' widths scaled alike. All buffers are direct and reused; they
 * are reallocated only when the frame or grid size changes. One instance per stream; used from the CRF stage's thread
 * only.
 */
public final class CrfRefiner implements LabelRefiner {
    private static final Logger LOG = LoggerFactory.getLogger(CrfRefiner.class);
    private final CrfConfig config;
    private CrfPace pace; // live sources only: sets the pixel limit in place of crf.maxPixels
    private final TemporalCrfConfig temporalConfig;
    private TemporalCrf temporal; // replaced when the CRF's scale changes: its kernels are sized for the scale
    private double appliedScale = 1.0;
    private int frameWidth;
    private int frameHeight;
    private int crfWidth;
    private int crfHeight;
    private int classes;
    private FloatBuffer grid = FloatBuffer.allocate(0); // the model's logits grid, direct copy of ScoreGrid.data()
    private ByteBuffer smallRgb;
    private ByteBuffer smallLabels;
    // OpenCV views of smallRgb and smallLabels (native, no copies): the frame is area-averaged into the first and the
    // labels are scaled back out of the second by OpenCV, not by per-pixel Java loops.
    private Mat smallRgbMat;
    private Mat smallLabelsMat;

    public CrfRefiner(CrfConfig config) {
        this(config, TemporalCrfConfig.PIPELINE_CLASS_PRUNING);
    }

    /** With another class-pruning threshold (0 = every class), e.g. to compare with the default. */
    public CrfRefiner(CrfConfig config, double classPruning) {
        this.config = config;
        this.temporalConfig = temporalConfig(config).withClassPruning(classPruning);
        this.temporal = new TemporalCrf(temporalConfig);
    }

    /**
     * A live source: from now on the CRF's grid follows a {@link CrfPace} between {@code crf.maxPixels} and {@code
     * crf.minPixels} (nothing changes when the configuration does not adapt, see {@link CrfConfig#adapts()}).
     */
    @Override
    public void keepUpWith(double frameRate) {
        if (config.adapts()) {
            int limit = config.maxPixels() == 0 ? Integer.MAX_VALUE : config.maxPixels();
            if (pace != null) {
                pace.close();
            }
            pace = new CrfPace(limit, config.minPixels(), frameRate);
            frameWidth = 0; // the next frame computes its grid from the pace's budget
        }
    }

    /** The kernels' spatial widths for a CRF grid {@code scale} times the frame's size (colour and weights kept). */
    static CrfParams scaledKernels(CrfParams p, double scale) {
        return new CrfParams(
                p.gaussianSxy() * scale,
                p.gaussianWeight(),
                p.bilateralSxy() * scale,
                p.bilateralSrgb(),
                p.bilateralWeight());
    }

    /** The crf-native settings for a pipeline configuration. */
    public static TemporalCrfConfig temporalConfig(CrfConfig c) {
        CrfParams params = new CrfParams(
                c.gaussian().sxy(),
                c.gaussian().weight(),
                c.bilateral().sxy(),
                c.bilateral().srgb(),
                c.bilateral().weight());
        return TemporalCrfConfig.defaults()
                .withIterations(c.iterations(), c.warmIterations())
                .withParams(params)
                .withThreads(c.threads())
                .withBackend(c.backend())
                .withWarmStart(c.warmStart())
                .withSceneCutThreshold(c.sceneCutThreshold())
                .withGate(WarmGate.DEFAULT
                        .withTemporal(c.temporal().weight(), c.temporal().srgb())
                        .withMotionRange(c.cameraMotion()));
    }

    /** E.g. "cpu (x86-64-v3 (AVX2, FMA), 2 threads)", and why it was chosen. */
    public String backendDescription() {
        return temporal.backendName() + "; " + temporal.backendReason();
    }

    @Override
    public Result refine(VideoFrame frame, ScoreGrid scores, ByteBuffer labelsOut) {
        long t0 = System.nanoTime();
        int w = frame.width();
        int h = frame.height();
        ensureBuffers(w, h, scores.classes());
        LogitGrid logits = grid(scores);
        ByteBuffer rgb = frame.rgb();
        int iterations;
        if (smallRgbMat == null) {
            iterations =
                    temporal.process(rgb, w, h, logits, labelsOut.duplicate().clear());
        } else {
            try (BytePointer rgbPointer = new BytePointer(rgb);
                    Mat frameMat = new Mat(h, w, CV_8UC3, rgbPointer);
                    Size small = new Size(crfWidth, crfHeight)) {
                resize(frameMat, smallRgbMat, small, 0, 0, INTER_AREA);
            }
            iterations = temporal.process(smallRgb, crfWidth, crfHeight, logits, smallLabels);
            try (BytePointer labelsPointer =
                            new BytePointer(labelsOut.duplicate().clear());
                    Mat labelsMat = new Mat(h, w, CV_8UC1, labelsPointer);
                    Size full = new Size(w, h)) {
                resize(smallLabelsMat, labelsMat, full, 0, 0, INTER_NEAREST_EXACT);
            }
        }
        Result result = new Result(iterations, temporal.lastWasWarm(), crfWidth, crfHeight);
        int before = pace == null ? 0 : pace.budget();
        String next = pace != null && pace.record(System.nanoTime() - t0, crfWidth * crfHeight)
                ? gridSize(config.withMaxPixels(pace.budget()), w, h)
                : null;
        // a budget that still gives this grid (a few pixels less, held at the floor) changes nothing, says nothing
        if (next != null && !next.equals(gridSize())) {
            frameWidth = 0; // the next frame recomputes the grid (and starts the CRF cold on it)
            LOG.info(
                    "CRF grid {} -> {} {}: the CRF took {} ms a frame, its share of the time between camera frames"
                            + " is {} ms",
                    gridSize(),
                    next,
                    pace.budget() < before ? "to keep up with the camera" : "(room to spare)",
                    pace.lastMedianMillis(),
                    Math.round(pace.intervalNanos() / 1e6));
        }
        return result;
    }

    /** The grid copied into the direct buffer the CRF reads (a 65x37x21 grid is 200 KB: the copy is negligible). */
    private LogitGrid grid(ScoreGrid scores) {
        int floats = scores.gridWidth() * scores.gridHeight() * scores.classes();
        if (grid.capacity() < floats || !grid.isDirect()) {
            grid = ByteBuffer.allocateDirect(floats * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        grid.clear();
        grid.put(scores.data(), 0, floats).flip();
        return new LogitGrid(
                grid,
                scores.gridWidth(),
                scores.gridHeight(),
                scores.classes(),
                scores.inputWidth(),
                scores.inputHeight(),
                scores.stride());
    }

    private void ensureBuffers(int w, int h, int c) {
        if (w == frameWidth && h == frameHeight && c == classes) {
            return;
        }
        frameWidth = w;
        frameHeight = h;
        classes = c;
        double scale = pace == null ? config.scaleFor(w, h) : config.scaleFor(w, h, pace.budget());
        crfWidth = gridSide(w, scale);
        crfHeight = gridSide(h, scale);
        if (scale != appliedScale) {
            // The kernels' widths are in frame pixels: on a grid scaled by s they are s times as many grid pixels,
            // so a smaller CRF smooths over the same part of the picture (else 0.5 doubles the smoothing radius).
            // A new size starts cold anyway, so the warm state lost here would not have been used.
            TemporalCrf next =
                    new TemporalCrf(temporalConfig.withParams(scaledKernels(temporalConfig.params(), scale)));
            temporal.close();
            temporal = next;
            appliedScale = scale;
        }
        releaseMats();
        if (crfWidth != w || crfHeight != h) {
            smallRgb = ByteBuffer.allocateDirect(crfWidth * crfHeight * 3);
            smallLabels = ByteBuffer.allocateDirect(crfWidth * crfHeight);
            smallRgbMat = new Mat(crfHeight, crfWidth, CV_8UC3, new BytePointer(smallRgb));
            smallLabelsMat = new Mat(crfHeight, crfWidth, CV_8UC1, new BytePointer(smallLabels));
        }
    }

    private void releaseMats() {
        if (smallRgbMat != null) {
            smallRgbMat.close();
            smallLabelsMat.close();
            smallRgbMat = null;
            smallLabelsMat = null;
            smallRgb = null;
            smallLabels = null;
        }
    }

    /** The CRF grid of the last frame, e.g. "384x216". */
    public String gridSize() {
        return crfWidth + "x" + crfHeight;
    }

    /** The CRF grid {@code config} gives a frame of {@code w x h}, e.g. "384x216", as {@link #gridSize()} says. */
    public static String gridSize(CrfConfig config, int w, int h) {
        double scale = config.scaleFor(w, h);
        return gridSide(w, scale) + "x" + gridSide(h, scale);
    }

    private static int gridSide(int frameSide, double scale) {
        return Math.max(1, (int) Math.round(frameSide * scale));
    }

    /** Classes the last frame's mean field ran on (fewer than the model's when class pruning left some out). */
    public int lastClassesComputed() {
        return temporal.lastClassesComputed();
    }

    /** Native timings of the last frame (lattices, unary and start, iterations, whole native call). */
    public CrfTimings lastTimings() {
        return temporal.lastTimings();
    }

    @Override
    public void reset(String reason) {
        temporal.reset(reason);
    }

    @Override
    public void close() {
        if (pace != null) {
            pace.close();
        }
        releaseMats();
        temporal.close();
    }
}

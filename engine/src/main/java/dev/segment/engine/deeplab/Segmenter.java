package dev.segment.engine.deeplab;

import dev.segment.engine.deeplab.internal.AreaResizer;
import dev.segment.engine.deeplab.internal.InferencePath;
import dev.segment.engine.deeplab.internal.LoadedGraph;
import dev.segment.engine.deeplab.internal.LogitUpsampler;
import dev.segment.engine.deeplab.internal.ModelSpec;
import dev.segment.engine.deeplab.internal.PaddedPath;
import dev.segment.engine.deeplab.internal.UnpaddedGraphRewriter.UnsupportedGraphException;
import dev.segment.engine.deeplab.internal.UnpaddedPath;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments RGB24 frames of one size with a {@link DeepLabModel}: resizes the frame so that its long side is at most
 * the crop (area averaging, skipped when it already fits), runs the graph, and writes the logits, bilinearly
 * upsampled from DeepLab's low-resolution grid, at the output size chosen at creation, plus optionally the argmax
 * labels.
 *
 * <p>Every buffer is allocated here, once. Per frame TF Java 1.1.0 still allocates, and this class closes before
 * returning: the output tensor of the run (native memory TensorFlow allocates for the 1 x gh x gw x 21 logits, about
 * 350 KB for a 65 x 65 grid, with its RawTensor/JavaCPP pointer wrappers), the {@code Result} holding it, and the small
 * arrays and handles {@code Session.Runner.run()} builds for the C API call. The input tensor and the runner are
 * created once and reused: the input is overwritten in place before each run.
 *
 * <p>Thread-confined: use one segmenter from one thread at a time. Closing it releases its input tensor, the
 * specialised graph of the unpadded path, and its reference to the model's graph. {@link #close()} is idempotent.
 */
public final class Segmenter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Segmenter.class);

    private final LoadedGraph graph;
    private final int frameWidth;
    private final int frameHeight;
    private final int inputWidth;
    private final int inputHeight;
    private final int outputWidth;
    private final int outputHeight;
    private final int classes;
    private final AreaResizer resizer; // null when the frame fits the crop
    private final float[] resized;
    private final byte[] frameBytes;
    private final InferencePath path;
    private final float[] grid;
    private final LogitUpsampler upsampler;
    private final String paddedReason;
    private boolean closed;

    Segmenter(LoadedGraph graph, int frameWidth, int frameHeight, int outputWidth, int outputHeight, boolean unpadded) {
        if (frameWidth < 1 || frameHeight < 1) {
            throw new IllegalArgumentException("frame size must be >= 1x1, got " + frameWidth + "x" + frameHeight);
        }
        if (outputWidth < 1 || outputHeight < 1) {
            throw new IllegalArgumentException("output size must be >= 1x1, got " + outputWidth + "x" + outputHeight);
        }
        if ((long) frameWidth * frameHeight * 3 > Integer.MAX_VALUE
                || (long) outputWidth * outputHeight * graph.spec().classCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame " + frameWidth + "x" + frameHeight + " or output " + outputWidth
                    + "x" + outputHeight + " too large for one buffer");
        }
        if (!graph.retain()) {
            throw new IllegalStateException("model " + graph.file() + " is closed");
        }
        try {
            ModelSpec spec = graph.spec();
            this.graph = graph;
            this.frameWidth = frameWidth;
            this.frameHeight = frameHeight;
            this.outputWidth = outputWidth;
            this.outputHeight = outputHeight;
            this.classes = spec.classCount();
            int crop = spec.cropSize();
            int longSide = Math.max(frameWidth, frameHeight);
            if (longSide > crop) {
                double scale = (double) crop / longSide;
                this.inputWidth = Math.min(crop, Math.max(1, (int) Math.round(frameWidth * scale)));
                this.inputHeight = Math.min(crop, Math.max(1, (int) Math.round(frameHeight * scale)));
                this.resizer = new AreaResizer(frameWidth, frameHeight, inputWidth, inputHeight);
                this.resized = new float[inputWidth * inputHeight * 3];
                this.frameBytes = null;
            } else {
                this.inputWidth = frameWidth;
                this.inputHeight = frameHeight;
                this.resizer = null;
                this.resized = null;
                this.frameBytes = new byte[frameWidth * frameHeight * 3];
            }
            String reason = null;
            InferencePath chosen = null;
            if (unpadded) {
                try {
                    chosen = UnpaddedPath.create(graph, inputWidth, inputHeight);
                } catch (UnsupportedGraphException e) {
                    reason = e.getMessage();
                    LOG.warn(
                            "model {}: unpadded inference unavailable for {}x{}, using the padded graph: {}",
                            graph.file(),
                            inputWidth,
                            inputHeight,
                            reason);
                }
            } else {
                reason = "padded inference requested";
            }
            this.path = chosen != null ? chosen : new PaddedPath(graph, inputWidth, inputHeight);
            this.paddedReason = reason;
            this.grid = new float[path.gridWidth() * path.gridHeight() * classes];
            this.upsampler = new LogitUpsampler(
                    inputWidth,
                    inputHeight,
                    path.gridWidth(),
                    path.gridHeight(),
                    spec.stride(),
                    classes,
                    outputWidth,
                    outputHeight);
        } catch (RuntimeException | Error e) {
            graph.release();
            throw e;
        }
    }

    /**
     * Segments one frame.
     *
     * @param rgb    packed RGB24, {@code frameWidth * frameHeight * 3} bytes from index 0, row-major, no row padding
     * @param logits receives {@code outputHeight * outputWidth * classCount} raw logits (no softmax) from index 0,
     *               pixel-major: {@code (y * outputWidth + x) * classCount + c}; null when only labels are wanted
     * @param labels receives one byte per output pixel (argmax class, {@code y * outputWidth + x}); may be null
     *               <p>Absolute access only: positions and limits of the three buffers are not changed.
     */
    public void segment(ByteBuffer rgb, FloatBuffer logits, ByteBuffer labels) {
        if (closed) {
            throw new IllegalStateException("Segmenter " + frameWidth + "x" + frameHeight + " is closed");
        }
        if (rgb == null) {
            throw new IllegalArgumentException("rgb frame must not be null");
        }
        if (logits == null && labels == null) {
            throw new IllegalArgumentException("nothing to write: logits and labels are both null");
        }
        int frameBytesNeeded = frameWidth * frameHeight * 3;
        if (rgb.limit() < frameBytesNeeded) {
            throw new IllegalArgumentException("rgb frame has " + rgb.limit() + " bytes, a " + frameWidth + "x"
                    + frameHeight + " RGB24 frame needs " + frameBytesNeeded);
        }
        if (logits != null && logits.limit() < outputWidth * outputHeight * classes) {
            throw new IllegalArgumentException("logits buffer has " + logits.limit() + " floats, " + outputWidth + "x"
                    + outputHeight + "x" + classes + " needs " + outputWidth * outputHeight * classes);
        }
        if (labels != null && labels.limit() < outputWidth * outputHeight) {
            throw new IllegalArgumentException("labels buffer has " + labels.limit() + " bytes, " + outputWidth + "x"
                    + outputHeight + " needs " + outputWidth * outputHeight);
        }
        if (logits != null && logits.isReadOnly() || labels != null && labels.isReadOnly()) {
            throw new IllegalArgumentException("logits and labels buffers must be writable");
        }
        runGrid(rgb);
        upsampler.upsample(grid, logits, labels);
    }

    /**
     * Runs the model only, leaving its low-resolution logits in the returned array ({@link #gridHeight()} x
     * {@link #gridWidth()} x classes, HWC), which is overwritten by the next call. For callers that upsample later,
     * at a size of their choosing (the pipeline keeps only this grid per frame).
     */
    public float[] runGrid(ByteBuffer rgb) {
        if (closed) {
            throw new IllegalStateException("Segmenter " + frameWidth + "x" + frameHeight + " is closed");
        }
        int frameBytesNeeded = frameWidth * frameHeight * 3;
        if (rgb == null || rgb.limit() < frameBytesNeeded) {
            throw new IllegalArgumentException("rgb frame has " + (rgb == null ? 0 : rgb.limit()) + " bytes, a "
                    + frameWidth + "x" + frameHeight + " RGB24 frame needs " + frameBytesNeeded);
        }
        if (resizer != null) {
            resizer.resize(rgb, resized);
            path.feed(resized);
        } else {
            rgb.get(0, frameBytes, 0, frameBytesNeeded);
            path.feed(frameBytes);
        }
        path.run(grid);
        return grid;
    }

    public int gridWidth() {
        return path.gridWidth();
    }

    public int gridHeight() {
        return path.gridHeight();
    }

    /** Model-input pixels per grid step (DeepLab's output stride, 8 for these graphs). */
    public int stride() {
        return graph.spec().stride();
    }

    public int frameWidth() {
        return frameWidth;
    }

    public int frameHeight() {
        return frameHeight;
    }

    /** Width of the image fed to the model: the frame's, or the resized one when the frame exceeds the crop. */
    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    public int outputWidth() {
        return outputWidth;
    }

    public int outputHeight() {
        return outputHeight;
    }

    public int classCount() {
        return classes;
    }

    /** Whether frames run through the unpadded, size-specialised graph. */
    public boolean unpadded() {
        return path.unpadded();
    }

    /** Why the padded graph runs (requested, or the reason the unpadded one could not be built); null if unpadded. */
    public String paddedReason() {
        return paddedReason;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            path.close();
            graph.release();
        }
    }

    @Override
    public String toString() {
        return "Segmenter[frame " + frameWidth + "x" + frameHeight + ", model input " + inputWidth + "x" + inputHeight
                + (path.unpadded() ? " unpadded" : " padded") + ", output " + outputWidth + "x" + outputHeight + "]";
    }
}

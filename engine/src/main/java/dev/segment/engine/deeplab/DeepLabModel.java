package dev.segment.engine.deeplab;

import dev.segment.engine.deeplab.internal.LoadedGraph;
import dev.segment.engine.deeplab.internal.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle on a loaded DeepLab v3 frozen graph (PASCAL VOC, 21 classes). Thread-safe; {@link #segmenter segmenters}
 * are not. Closing the handle releases its reference: the native graph lives on while segmenters created from it or
 * other handles from the same {@link ModelCache} are open. {@link #close()} is idempotent.
 */
public final class DeepLabModel implements AutoCloseable {

    /** Classes of the PASCAL VOC models we run (background + 20). */
    public static final int PASCAL_CLASSES = 21;

    private final LoadedGraph graph;
    private final AtomicBoolean closed = new AtomicBoolean();

    DeepLabModel(LoadedGraph graph) {
        this.graph = graph;
    }

    /** Loads a graph for this handle alone (not shared), with TensorFlow's default thread pools. */
    public static DeepLabModel load(Path graphPb) throws ModelException {
        return load(graphPb, 0);
    }

    /**
     * Loads a graph for this handle alone (not shared).
     *
     * @param threads TensorFlow intra/inter-op threads ({@code inference.threads}); 0 = TensorFlow default
     */
    public static DeepLabModel load(Path graphPb, int threads) throws ModelException {
        return new DeepLabModel(LoadedGraph.load(graphPb, threads, PASCAL_CLASSES, null));
    }

    /** A handle on the process-wide shared graph of this file: {@code ModelCache.processWide().acquire(graphPb)}. */
    public static DeepLabModel shared(Path graphPb) throws ModelException {
        return ModelCache.processWide().acquire(graphPb);
    }

    /** A segmenter writing outputs at the frame's own size. */
    public Segmenter segmenter(int frameWidth, int frameHeight, boolean unpadded) {
        return segmenter(frameWidth, frameHeight, frameWidth, frameHeight, unpadded);
    }

    /**
     * A segmenter for frames of one size, writing logits and labels at {@code outputWidth x outputHeight} (the frame
     * size, or the CRF's smaller size). Unpadded inference builds a graph specialised to the frame's model-input size
     * (a few hundred ms); when the graph does not have the structure that needs, the segmenter logs why and runs the
     * padded graph ({@link Segmenter#unpadded()} then returns false).
     */
    public Segmenter segmenter(int frameWidth, int frameHeight, int outputWidth, int outputHeight, boolean unpadded) {
        ensureOpen();
        return new Segmenter(graph, frameWidth, frameHeight, outputWidth, outputHeight, unpadded);
    }

    /**
     * Runs the model once on a grey frame of {@code frameWidth x frameHeight} and throws the result away: TensorFlow
     * prepares a graph on its first run (a few hundred ms more than later runs), which a live source would otherwise
     * spend on its first frame while the camera's next frames are dropped.
     */
    public void warmUp(int frameWidth, int frameHeight, boolean unpadded) {
        try (Segmenter s = segmenter(frameWidth, frameHeight, unpadded)) {
            ByteBuffer grey = ByteBuffer.allocate(frameWidth * frameHeight * 3);
            Arrays.fill(grey.array(), (byte) 128);
            s.runGrid(grey);
        }
    }

    /** Side of the square crop the graph was exported for; frames are resized to a long side of at most this. */
    public int cropSize() {
        return graph.spec().cropSize();
    }

    public int classCount() {
        return graph.spec().classCount();
    }

    /** Model-input pixels per step of the logits grid (8 for output stride 8). */
    public int outputStride() {
        return graph.spec().stride();
    }

    public Path file() {
        return graph.file();
    }

    /** CPU nanoseconds TensorFlow's process-wide threads have used so far (every model's runs); -1 when unknown. */
    public long poolCpuNanos() {
        return graph.cpuNanos();
    }

    public int threads() {
        return graph.threads();
    }

    /** Whether the graph has the float network input unpadded inference feeds. */
    public boolean supportsUnpadded() {
        return graph.spec().inputNode() != null;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            graph.release();
        }
    }

    @Override
    public String toString() {
        ModelSpec spec = graph.spec();
        return "DeepLabModel[" + graph.file() + ", crop " + spec.cropSize() + ", grid " + spec.gridSize() + ", "
                + spec.classCount() + " classes]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("DeepLabModel for " + graph.file() + " is closed");
        }
    }
}

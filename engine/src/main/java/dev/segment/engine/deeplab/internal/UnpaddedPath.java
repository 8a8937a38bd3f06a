package dev.segment.engine.deeplab.internal;

import dev.segment.engine.deeplab.TensorFlowLog;
import dev.segment.engine.deeplab.internal.UnpaddedGraphRewriter.UnsupportedGraphException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A graph specialised to one input size (see {@link UnpaddedGraphRewriter}): the image, normalised to
 * {@code pixel / 127.5 - 1}, is fed straight into the network input, padded only up to the next {@code stride * k +
 * 1} size with 0 (DeepLab's own padding value, the mean pixel). The grid then covers the image and that sliver.
 */
public final class UnpaddedPath implements InferencePath {

    private final Graph graph;
    private final Session session;
    private final TFloat32 input;
    private final FloatDataBuffer inputData;
    private final Session.Runner runner;
    private final int width;
    private final int height;
    private final int alignedWidth;
    private final int gridWidth;
    private final int gridHeight;
    private final float[] normalised;
    private boolean closed;

    private UnpaddedPath(
            Graph graph, Session session, ModelSpec spec, int width, int height, int alignedWidth, int alignedHeight) {
        this.graph = graph;
        this.session = session;
        this.width = width;
        this.height = height;
        this.alignedWidth = alignedWidth;
        this.gridWidth = UnpaddedGraphRewriter.gridSize(alignedWidth, spec.stride());
        this.gridHeight = UnpaddedGraphRewriter.gridSize(alignedHeight, spec.stride());
        this.input = TFloat32.tensorOf(Shape.of(1, alignedHeight, alignedWidth, 3));
        this.inputData = input.asRawTensor().data().asFloats();
        this.normalised = new float[alignedWidth * alignedHeight * 3]; // padding stays 0
        this.runner = session.runner().feed(spec.inputNode(), input).fetch(ModelSpec.LOGITS);
    }

    /**
     * Builds the specialised graph and runs it once on a grey image, so that a graph the rewrite does not fit fails
     * here rather than on the first frame.
     *
     * @throws UnsupportedGraphException with the reason when the graph cannot be specialised or does not run
     */
    public static UnpaddedPath create(LoadedGraph loaded, int width, int height) throws UnsupportedGraphException {
        ModelSpec spec = loaded.spec();
        int stride = spec.stride();
        int alignedWidth = UnpaddedGraphRewriter.alignedSize(width, stride);
        int alignedHeight = UnpaddedGraphRewriter.alignedSize(height, stride);
        GraphDef def = UnpaddedGraphRewriter.rewrite(loaded.graphDef(), spec, alignedHeight, alignedWidth);
        Graph graph = new Graph();
        Session session = null;
        UnpaddedPath path = null;
        try {
            graph.importGraphDef(def);
            GraphOperation logits = graph.operation(ModelSpec.LOGITS);
            Shape expected = Shape.of(
                    1,
                    UnpaddedGraphRewriter.gridSize(alignedHeight, stride),
                    UnpaddedGraphRewriter.gridSize(alignedWidth, stride),
                    spec.classCount());
            if (logits == null || !logits.output(0).shape().equals(expected)) {
                throw new UnsupportedGraphException("specialised graph infers logits "
                        + (logits == null ? "missing" : logits.output(0).shape()) + ", expected " + expected);
            }
            session = new Session(graph, loaded.config());
            path = new UnpaddedPath(graph, session, spec, width, height, alignedWidth, alignedHeight);
            path.run(new float[path.gridWidth * path.gridHeight * spec.classCount()]);
            return path;
        } catch (RuntimeException e) {
            closeQuietly(path, session, graph);
            throw new UnsupportedGraphException("specialised graph for " + alignedWidth + "x" + alignedHeight
                    + " fails in TensorFlow: " + GraphFile.oneLine(e.getMessage()));
        } catch (UnsupportedGraphException e) {
            closeQuietly(path, session, graph);
            throw e;
        }
    }

    private static void closeQuietly(UnpaddedPath path, Session session, Graph graph) {
        if (path != null) {
            path.close();
            return;
        }
        if (session != null) {
            session.close();
        }
        graph.close();
    }

    @Override
    public void feed(byte[] rgb) {
        int rowValues = width * 3;
        int alignedRow = alignedWidth * 3;
        for (int y = 0; y < height; y++) {
            for (int i = 0, src = y * rowValues, dst = y * alignedRow; i < rowValues; i++) {
                normalised[dst + i] = (rgb[src + i] & 0xff) * (1f / 127.5f) - 1f;
            }
        }
        inputData.write(normalised);
    }

    @Override
    public void feed(float[] rgb) {
        int rowValues = width * 3;
        int alignedRow = alignedWidth * 3;
        for (int y = 0; y < height; y++) {
            for (int i = 0, src = y * rowValues, dst = y * alignedRow; i < rowValues; i++) {
                normalised[dst + i] = rgb[src + i] * (1f / 127.5f) - 1f;
            }
        }
        inputData.write(normalised);
    }

    @Override
    public void run(float[] grid) {
        try (Result result = TensorFlowLog.firstRun(runner::run)) {
            TensorReads.copyFloats(result.get(0), grid, ModelSpec.LOGITS);
        }
    }

    @Override
    public int gridWidth() {
        return gridWidth;
    }

    @Override
    public int gridHeight() {
        return gridHeight;
    }

    @Override
    public boolean unpadded() {
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            input.close();
            session.close();
            graph.close();
        }
    }

    @Override
    public String toString() {
        return "UnpaddedPath[" + width + "x" + height + " fed as " + alignedWidth + " wide, grid " + gridWidth + "x"
                + gridHeight + "]";
    }
}

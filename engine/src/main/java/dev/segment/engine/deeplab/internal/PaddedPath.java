package dev.segment.engine.deeplab.internal;

import dev.segment.engine.deeplab.TensorFlowLog;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.types.TUint8;

/**
 * The graph as exported: uint8 RGB into {@code ImageTensor}, which the graph pads to the crop; fetches the logits
 * grid over the whole crop (the image covers its top-left part).
 */
public final class PaddedPath implements InferencePath {

    private final TUint8 input;
    private final ByteDataBuffer inputData;
    private final Session.Runner runner;
    private final int gridSize;
    private final byte[] rounded;
    private boolean closed;

    public PaddedPath(LoadedGraph graph, int width, int height) {
        ModelSpec spec = graph.spec();
        if (width < 1 || height < 1 || width > spec.cropSize() || height > spec.cropSize()) {
            throw new IllegalArgumentException(
                    "padded input " + width + "x" + height + " must be within the crop " + spec.cropSize());
        }
        this.gridSize = spec.gridSize();
        this.input = TUint8.tensorOf(Shape.of(1, height, width, 3));
        this.inputData = input.asRawTensor().data();
        this.runner =
                graph.session().runner().feed(ModelSpec.IMAGE_TENSOR, input).fetch(ModelSpec.LOGITS);
        this.rounded = new byte[width * height * 3];
    }

    @Override
    public void feed(byte[] rgb) {
        inputData.write(rgb);
    }

    @Override
    public void feed(float[] rgb) {
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] = (byte) (int) (rgb[i] + 0.5f);
        }
        inputData.write(rounded);
    }

    @Override
    public void run(float[] grid) {
        try (Result result = TensorFlowLog.firstRun(runner::run)) {
            TensorReads.copyFloats(result.get(0), grid, ModelSpec.LOGITS);
        }
    }

    @Override
    public int gridWidth() {
        return gridSize;
    }

    @Override
    public int gridHeight() {
        return gridSize;
    }

    @Override
    public boolean unpadded() {
        return false;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            input.close();
        }
    }
}

package dev.segment.engine.deeplab.internal;

import dev.segment.engine.deeplab.ModelException;
import dev.segment.engine.deeplab.ModelException.Kind;
import java.nio.file.Path;
import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * Checks that an imported graph is a DeepLab export and reads its geometry from TensorFlow's static shape inference:
 * the logits grid and class count from {@value ModelSpec#LOGITS}, the crop from {@value ModelSpec#UPSAMPLED_LOGITS}
 * (or the network input when that shape is unknown).
 */
public final class GraphInspector {

    /** Name of the MobileNetV2 network input in DeepLab exports; other backbones are found by the suffix "/input". */
    static final String MOBILENET_INPUT = "MobilenetV2/MobilenetV2/input";

    private GraphInspector() {}

    public static ModelSpec inspect(Path file, Graph graph, int expectedClasses) throws ModelException {
        GraphOperation image = graph.operation(ModelSpec.IMAGE_TENSOR);
        if (image == null) {
            throw notDeepLab(
                    file,
                    "no input tensor '" + ModelSpec.IMAGE_TENSOR
                            + "' (a DeepLab frozen graph feeds uint8 [1,H,W,3] RGB there)");
        }
        Shape imageShape = image.output(0).shape();
        if (image.output(0).dataType() != DataType.DT_UINT8
                || imageShape.numDimensions() != 4
                || imageShape.get(3) != 3) {
            throw notDeepLab(
                    file,
                    "input '" + ModelSpec.IMAGE_TENSOR + "' is "
                            + image.output(0).dataType() + " " + imageShape + ", expected DT_UINT8 [1, -1, -1, 3]");
        }
        GraphOperation logits = graph.operation(ModelSpec.LOGITS);
        if (logits == null) {
            throw notDeepLab(file, "no logits tensor '" + ModelSpec.LOGITS + "'");
        }
        GraphOperation upsampled = graph.operation(ModelSpec.UPSAMPLED_LOGITS);
        if (upsampled == null) {
            throw notDeepLab(file, "no upsampled logits tensor '" + ModelSpec.UPSAMPLED_LOGITS + "'");
        }
        Shape logitsShape = logits.output(0).shape();
        if (logitsShape.numDimensions() != 4 || logits.output(0).dataType() != DataType.DT_FLOAT) {
            throw notDeepLab(
                    file,
                    "logits '" + ModelSpec.LOGITS + "' are " + logits.output(0).dataType() + " " + logitsShape
                            + ", expected DT_FLOAT [1, grid, grid, classes]");
        }
        long classes = logitsShape.get(3);
        if (classes != expectedClasses) {
            throw new ModelException(
                    Kind.WRONG_CLASSES,
                    file,
                    "logits '" + ModelSpec.LOGITS + "' have "
                            + (classes < 0 ? "an unknown number of" : Long.toString(classes)) + " classes, expected "
                            + expectedClasses);
        }
        long gridH = logitsShape.get(1);
        long gridW = logitsShape.get(2);
        if (gridH < 2 || gridH != gridW) {
            throw notDeepLab(file, "logits grid " + logitsShape + " is not a known square grid");
        }
        long crop = cropSize(graph, upsampled);
        if (crop < 2) {
            throw notDeepLab(
                    file,
                    "cannot determine the crop size: '" + ModelSpec.UPSAMPLED_LOGITS + "' is "
                            + upsampled.output(0).shape() + " and the network input shape is unknown");
        }
        if ((crop - 1) % (gridH - 1) != 0) {
            throw notDeepLab(
                    file,
                    "crop " + crop + " and logits grid " + gridH
                            + " do not align (crop - 1 must be a multiple of grid - 1)");
        }
        return new ModelSpec((int) crop, (int) gridH, (int) classes, networkInput(graph));
    }

    private static long cropSize(Graph graph, GraphOperation upsampled) {
        Shape up = upsampled.output(0).shape();
        if (up.numDimensions() == 4 && up.get(1) > 1 && up.get(1) == up.get(2)) {
            return up.get(1);
        }
        String input = networkInput(graph);
        if (input != null) {
            Shape in = graph.operation(input).output(0).shape();
            if (in.get(1) > 1 && in.get(1) == in.get(2)) {
                return in.get(1);
            }
        }
        return -1;
    }

    /** The float [1, H, W, 3] tensor the backbone starts from, or null when there is none. */
    static String networkInput(Graph graph) {
        GraphOperation op = graph.operation(MOBILENET_INPUT);
        if (isNetworkInput(op)) {
            return MOBILENET_INPUT;
        }
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation candidate = it.next();
            if (candidate.name().endsWith("/input") && isNetworkInput(candidate)) {
                return candidate.name();
            }
        }
        return null;
    }

    private static boolean isNetworkInput(GraphOperation op) {
        if (op == null || op.numOutputs() != 1 || op.output(0).dataType() != DataType.DT_FLOAT) {
            return false;
        }
        Shape s = op.output(0).shape();
        return !s.isUnknown() && s.numDimensions() == 4 && s.get(3) == 3;
    }

    private static ModelException notDeepLab(Path file, String problem) {
        return new ModelException(Kind.NOT_DEEPLAB, file, "not a DeepLab graph: " + problem);
    }
}

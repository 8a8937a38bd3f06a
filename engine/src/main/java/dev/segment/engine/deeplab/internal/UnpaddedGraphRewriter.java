package dev.segment.engine.deeplab.internal;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Specialises a DeepLab GraphDef to one unpadded input size (see ../shared/models/README.md). The exported graph
 * assumes the padded crop in three places, all at the logits grid ({@code G x G}, 65 for crop 513):
 * <ul>
 *   <li>the image-pooling {@code AvgPool} window is {@code G x G}: becomes the feature map {@code fh x fw};</li>
 *   <li>{@code ResizeBilinear} nodes with a constant size {@code [G, G]}: become {@code [fh, fw]};</li>
 *   <li>the atrous depthwise convolutions are {@code SpaceToBatchND}/{@code BatchToSpaceND} pairs whose paddings and
 *       crops make {@code G} divisible by the rate; they are recomputed for {@code fh, fw} the way TensorFlow does
 *       for an atrous SAME convolution (same base padding, the remainder added at the end and cropped again).</li>
 * </ul>
 * The network input node becomes a float placeholder {@code [1, h, w, 3]}, and every {@code _output_shapes} attribute
 * is dropped because the shapes it records are stale. {@code fh = (h - 1) / stride + 1}.
 */
public final class UnpaddedGraphRewriter {

    /** The graph does not have the structure the rewrite expects; the message says what differs. */
    public static final class UnsupportedGraphException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedGraphException(String message) {
            super(message);
        }
    }

    private static final String OUTPUT_SHAPES = "_output_shapes";

    private UnpaddedGraphRewriter() {}

    /** Input height or width padded up to the next size the grid covers exactly: {@code stride * k + 1}. */
    public static int alignedSize(int size, int stride) {
        return (size - 1 + stride - 1) / stride * stride + 1;
    }

    /** Grid cells over an aligned input size. */
    public static int gridSize(int alignedSize, int stride) {
        return (alignedSize - 1) / stride + 1;
    }

    public static GraphDef rewrite(GraphDef original, ModelSpec spec, int height, int width)
            throws UnsupportedGraphException {
        if (spec.inputNode() == null) {
            throw new UnsupportedGraphException(
                    "no float network input node (e.g. " + GraphInspector.MOBILENET_INPUT + ")");
        }
        int stride = spec.stride();
        if ((height - 1) % stride != 0 || (width - 1) % stride != 0) {
            throw new IllegalArgumentException(
                    "input " + width + "x" + height + " is not stride * k + 1 (stride " + stride + ")");
        }
        int g = spec.gridSize();
        int fh = gridSize(height, stride);
        int fw = gridSize(width, stride);

        GraphDef.Builder graph = original.toBuilder();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            index.put(graph.getNode(i).getName(), i);
        }
        int avgPools = 0;
        int resizes = 0;
        int atrous = 0;
        boolean inputReplaced = false;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeDef node = graph.getNode(i);
            switch (node.getOp()) {
                case "AvgPool" -> {
                    List<Long> k = node.getAttrOrThrow("ksize").getList().getIList();
                    if (k.size() != 4 || k.get(1) != g || k.get(2) != g) {
                        throw new UnsupportedGraphException("AvgPool " + node.getName() + " has ksize " + k
                                + ", expected the image-pooling window [1, " + g + ", " + g + ", 1]");
                    }
                    AttrValue ksize = AttrValue.newBuilder()
                            .setList(AttrValue.ListValue.newBuilder()
                                    .addI(1)
                                    .addI(fh)
                                    .addI(fw)
                                    .addI(1))
                            .build();
                    graph.setNode(i, node.toBuilder().putAttr("ksize", ksize));
                    avgPools++;
                }
                case "ResizeBilinear" -> {
                    NodeDef size = constInput(graph, index, node, 1);
                    if (size != null && isIntVector(size, g, g)) {
                        replaceInts(graph, index, size, fh, fw);
                        resizes++;
                    }
                }
                case "SpaceToBatchND" -> {
                    rewriteAtrous(graph, index, node, fh, fw);
                    atrous++;
                }
                default -> {
                    if (node.getName().equals(spec.inputNode())) {
                        graph.setNode(i, placeholder(node.getName(), height, width));
                        inputReplaced = true;
                    }
                }
            }
        }
        if (!inputReplaced) {
            throw new UnsupportedGraphException("network input node " + spec.inputNode() + " not found");
        }
        if (resizes < avgPools) {
            throw new UnsupportedGraphException(avgPools + " image-pooling AvgPool nodes but only " + resizes
                    + " ResizeBilinear nodes with constant size [" + g + ", " + g + "] to bring them back");
        }
        if (atrous == 0 && avgPools == 0) {
            throw new UnsupportedGraphException("neither image pooling nor atrous convolutions found: not the"
                    + " DeepLab structure this rewrite knows");
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (graph.getNode(i).containsAttr(OUTPUT_SHAPES)) {
                graph.setNode(i, graph.getNode(i).toBuilder().removeAttr(OUTPUT_SHAPES));
            }
        }
        return graph.build();
    }

    private static void rewriteAtrous(
            GraphDef.Builder graph, Map<String, Integer> index, NodeDef spaceToBatch, int fh, int fw)
            throws UnsupportedGraphException {
        String name = spaceToBatch.getName();
        if (!name.endsWith("SpaceToBatchND")) {
            throw new UnsupportedGraphException("SpaceToBatchND node " + name + " is not named .../SpaceToBatchND");
        }
        String pairName = name.substring(0, name.length() - "SpaceToBatchND".length()) + "BatchToSpaceND";
        Integer pairIndex = index.get(pairName);
        if (pairIndex == null) {
            throw new UnsupportedGraphException("SpaceToBatchND " + name + " has no matching " + pairName);
        }
        NodeDef batchToSpace = graph.getNode(pairIndex);
        NodeDef blockNode = constInput(graph, index, spaceToBatch, 1);
        NodeDef paddingsNode = constInput(graph, index, spaceToBatch, 2);
        NodeDef cropsNode = constInput(graph, index, batchToSpace, 2);
        if (blockNode == null || paddingsNode == null || cropsNode == null) {
            throw new UnsupportedGraphException("atrous pair " + name + " has non-constant block, paddings or crops");
        }
        int[] block = ints(blockNode);
        int[] pad = ints(paddingsNode);
        int[] crop = ints(cropsNode);
        if (block.length != 2 || pad.length != 4 || crop.length != 4 || crop[0] != 0 || crop[2] != 0) {
            throw new UnsupportedGraphException("atrous pair " + name + " has block " + java.util.Arrays.toString(block)
                    + ", paddings " + java.util.Arrays.toString(pad) + ", crops " + java.util.Arrays.toString(crop)
                    + "; expected 2-d spatial blocks with crops only at the end");
        }
        int[] newPad = new int[4];
        int[] newCrop = new int[4];
        int[] size = {fh, fw};
        for (int d = 0; d < 2; d++) {
            int before = pad[2 * d];
            int baseAfter = pad[2 * d + 1] - crop[2 * d + 1];
            if (baseAfter < 0) {
                throw new UnsupportedGraphException("atrous pair " + name + " crops more than it pads");
            }
            int extra = Math.floorMod(-(size[d] + before + baseAfter), block[d]);
            newPad[2 * d] = before;
            newPad[2 * d + 1] = baseAfter + extra;
            newCrop[2 * d + 1] = extra;
        }
        replaceInts(graph, index, paddingsNode, newPad);
        replaceInts(graph, index, cropsNode, newCrop);
    }

    private static NodeDef placeholder(String name, int height, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(height))
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(width))
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(3))
                .build();
        return NodeDef.newBuilder()
                .setName(name)
                .setOp("Placeholder")
                .putAttr(
                        "dtype",
                        AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                .putAttr("shape", AttrValue.newBuilder().setShape(shape).build())
                .build();
    }

    /** The Const node feeding input {@code i} of {@code node}, or null when it is not a constant. */
    private static NodeDef constInput(GraphDef.Builder graph, Map<String, Integer> index, NodeDef node, int i) {
        if (node.getInputCount() <= i) {
            return null;
        }
        String input = node.getInput(i);
        if (input.startsWith("^")) {
            return null;
        }
        int colon = input.indexOf(':');
        Integer at = index.get(colon < 0 ? input : input.substring(0, colon));
        if (at == null) {
            return null;
        }
        NodeDef producer = graph.getNode(at);
        return producer.getOp().equals("Const") ? producer : null;
    }

    private static boolean isIntVector(NodeDef constant, int... expected) {
        TensorProto t = constant.getAttrOrThrow("value").getTensor();
        return t.getDtype() == DataType.DT_INT32 && java.util.Arrays.equals(ints(constant), expected);
    }

    static int[] ints(NodeDef constant) {
        TensorProto t = constant.getAttrOrThrow("value").getTensor();
        if (t.getDtype() != DataType.DT_INT32) {
            return new int[0];
        }
        long n = 1;
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            n *= d.getSize();
        }
        int[] values = new int[(int) n];
        if (!t.getTensorContent().isEmpty()) {
            ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length && b.remaining() >= 4; i++) {
                values[i] = b.getInt();
            }
        } else if (t.getIntValCount() > 0) {
            for (int i = 0; i < values.length; i++) {
                values[i] = t.getIntVal(Math.min(i, t.getIntValCount() - 1)); // a single int_val fills the tensor
            }
        }
        return values;
    }

    /** Replaces the values of an int32 Const node, keeping its shape. */
    private static void replaceInts(
            GraphDef.Builder graph, Map<String, Integer> index, NodeDef constant, int... values) {
        TensorProto old = constant.getAttrOrThrow("value").getTensor();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putInt(v);
        }
        bytes.flip();
        TensorProto replaced = TensorProto.newBuilder()
                .setDtype(DataType.DT_INT32)
                .setTensorShape(old.getTensorShape())
                .setTensorContent(ByteString.copyFrom(bytes))
                .build();
        int at = index.get(constant.getName());
        graph.setNode(
                at,
                graph.getNode(at).toBuilder()
                        .putAttr(
                                "value",
                                AttrValue.newBuilder().setTensor(replaced).build()));
    }
}

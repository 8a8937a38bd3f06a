package dev.segment.engine.deeplab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.ModelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TUint8;

/**
 * The segmenter samples the 65x65 logits grid once per output pixel; that must equal what DeepLab's own
 * 513x513 {@code ResizeBilinear_2} gives, cropped to the image and resized bilinearly (pixel centres) to the output.
 */
@ModelTest
class UpsamplingMatchesResizeBilinear2Test {

    private static final int C = 21;

    @Test
    void oneGridSampleEqualsResizingTheFullResolutionLogits() throws Exception {
        TestData.Frame frame = TestData.readRgb(TestData.image("voc/JPEGImages/2007_000032.jpg"));
        int w = frame.width();
        int h = frame.height();
        float[] full = fetchResizeBilinear2(frame);
        int[][] outputs = {{w, h}, {w / 2, h / 2}, {333, 200}, {2 * w, 2 * h}, {w, 3 * h / 2}};
        try (DeepLabModel model = DeepLabModel.load(TestData.model())) {
            for (int[] out : outputs) {
                int ow = out[0];
                int oh = out[1];
                FloatBuffer logits = ByteBuffer.allocateDirect(ow * oh * C * 4)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                try (Segmenter segmenter = model.segmenter(w, h, ow, oh, false)) {
                    segmenter.segment(frame.rgb(), logits, null);
                }
                double maxDiff = 0;
                double maxAbs = 0;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        for (int c = 0; c < C; c++) {
                            double expected = resizeReference(full, w, h, ow, oh, x, y, c);
                            maxDiff = Math.max(maxDiff, Math.abs(expected - logits.get((y * ow + x) * C + c)));
                            maxAbs = Math.max(maxAbs, Math.abs(expected));
                        }
                    }
                }
                System.out.printf(
                        "frame %dx%d -> output %dx%d: max |grid sample - resized ResizeBilinear_2| = %.3g"
                                + " (logits up to %.1f)%n",
                        w, h, ow, oh, maxDiff, maxAbs);
                assertTrue(maxDiff < 1e-3, "max difference " + maxDiff + " at output " + ow + "x" + oh);
            }
        }
    }

    /** Bilinear resize of the valid w x h region of the crop x crop logits, pixel-centre aligned, edges clamped. */
    private static double resizeReference(float[] full, int w, int h, int ow, int oh, int x, int y, int c) {
        double sx = Math.min(Math.max((x + 0.5) * w / ow - 0.5, 0), w - 1);
        double sy = Math.min(Math.max((y + 0.5) * h / oh - 0.5, 0), h - 1);
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = sx - x0;
        double fy = sy - y0;
        double top = (1 - fx) * at(full, x0, y0, c) + fx * at(full, x1, y0, c);
        double bottom = (1 - fx) * at(full, x0, y1, c) + fx * at(full, x1, y1, c);
        return (1 - fy) * top + fy * bottom;
    }

    private static float at(float[] full, int x, int y, int c) {
        return full[(y * 513 + x) * C + c];
    }

    private static float[] fetchResizeBilinear2(TestData.Frame frame) throws Exception {
        GraphDef def = GraphDef.parseFrom(Files.readAllBytes(TestData.model()));
        byte[] rgb = TestData.bytes(frame.rgb());
        try (Graph graph = new Graph()) {
            graph.importGraphDef(def);
            try (Session session = new Session(graph);
                    TUint8 image = TUint8.tensorOf(Shape.of(1, frame.height(), frame.width(), 3))) {
                image.asRawTensor().data().write(rgb);
                try (Result result = session.runner()
                        .feed("ImageTensor", image)
                        .fetch("ResizeBilinear_2")
                        .run()) {
                    float[] full = new float[513 * 513 * C];
                    result.get(0).asRawTensor().data().asFloats().read(full);
                    return full;
                }
            }
        }
    }
}

package dev.segment.engine.deeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.engine.deeplab.ModelException.Kind;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

@ModelTest
class ModelLoadingTest {

    @TempDir
    Path dir;

    @Test
    void discoversCropGridAndClassesOfTheDeepLabGraphs() throws Exception {
        try (DeepLabModel model = DeepLabModel.load(TestData.model())) {
            assertEquals(513, model.cropSize());
            assertEquals(21, model.classCount());
            assertEquals(8, model.outputStride());
            assertTrue(model.supportsUnpadded());
        }
        Path crop1025 = Shared.dir().resolve("models/deeplabv3_mnv2_dm05_pascal_os8_crop1025.pb");
        try (DeepLabModel model = DeepLabModel.load(crop1025, 1)) {
            assertEquals(1025, model.cropSize());
            assertEquals(8, model.outputStride());
            assertEquals(1, model.threads());
        }
    }

    @Test
    void missingFileIsNotFound() {
        Path missing = dir.resolve("no-such-model.pb");
        assertKind(Kind.NOT_FOUND, missing, "no such file");
    }

    @Test
    void directoryIsUnreadable() {
        assertKind(Kind.UNREADABLE, dir, "directory");
    }

    @Test
    void randomBytesAreNotAGraph() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(42).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.pb"), noise);
        assertKind(Kind.NOT_A_GRAPH, file, "not a TensorFlow GraphDef");
    }

    @Test
    void emptyFileIsNotAGraph() throws Exception {
        Path file = Files.write(dir.resolve("empty.pb"), new byte[0]);
        assertKind(Kind.NOT_A_GRAPH, file, "empty");
    }

    @Test
    void truncatedModelIsNotAGraph() throws Exception {
        byte[] model = Files.readAllBytes(TestData.model());
        Path file = Files.write(dir.resolve("truncated.pb"), Arrays.copyOf(model, model.length / 2));
        assertKind(Kind.NOT_A_GRAPH, file, "protobuf parse failed");
    }

    @Test
    void graphWithoutImageTensorIsNotDeepLab() throws Exception {
        Path file = writeGraph("plain.pb", tf -> {
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            tf.withName("y").math.add(x, tf.constant(1f));
        });
        assertKind(Kind.NOT_DEEPLAB, file, "ImageTensor");
    }

    @Test
    void graphWithoutLogitsIsNotDeepLab() throws Exception {
        Path file = writeGraph("no-logits.pb", tf -> {
            Operand<TUint8> image = imageTensor(tf);
            tf.withName("SemanticPredictions").dtypes.cast(image, TFloat32.class);
        });
        assertKind(Kind.NOT_DEEPLAB, file, "logits/semantic/BiasAdd");
    }

    @Test
    void logitsWithFiveClassesAreWrongClasses() throws Exception {
        Path file = writeGraph("five-classes.pb", tf -> {
            imageTensor(tf);
            Operand<TFloat32> grid = tf.zeros(tf.constant(new int[] {1, 65, 65, 5}), TFloat32.class);
            Operand<TFloat32> logits = tf.withSubScope("logits")
                    .withSubScope("semantic")
                    .withName("BiasAdd")
                    .nn
                    .biasAdd(grid, tf.zeros(tf.constant(new int[] {5}), TFloat32.class));
            tf.withName("ResizeBilinear_2").image.resizeBilinear(logits, tf.constant(new int[] {513, 513}));
        });
        ModelException e = assertKind(Kind.WRONG_CLASSES, file, "5 classes, expected 21");
        System.out.println(e.getMessage());
    }

    @Test
    void cacheSharesOneGraphPerFileUntilTheLastHandleAndSegmenterClose() throws Exception {
        ModelCache cache = new ModelCache();
        DeepLabModel first = cache.acquire(TestData.model());
        DeepLabModel second = cache.acquire(
                TestData.model().resolveSibling("./" + TestData.model().getFileName()));
        assertEquals(1, cache.size(), "same file, one graph");
        first.close();
        first.close(); // idempotent: releases once
        Segmenter segmenter = second.segmenter(64, 48, false);
        second.close();
        assertEquals(1, cache.size(), "the segmenter keeps the graph");
        assertThrows(IllegalStateException.class, () -> second.segmenter(64, 48, false));
        java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(64 * 48);
        segmenter.segment(java.nio.ByteBuffer.allocate(64 * 48 * 3), null, labels);
        segmenter.close();
        segmenter.close();
        assertEquals(0, cache.size(), "last reference closed the graph");
        assertThrows(
                IllegalStateException.class,
                () -> segmenter.segment(java.nio.ByteBuffer.allocate(64 * 48 * 3), null, labels));
        try (DeepLabModel again = cache.acquire(TestData.model())) {
            assertEquals(1, cache.size(), "loaded again");
            assertFalse(again.toString().isEmpty());
        }
    }

    @Test
    void negativeThreadsAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeepLabModel.load(TestData.model(), -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    private static Operand<TUint8> imageTensor(Ops tf) {
        return tf.withName("ImageTensor").placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
    }

    private Path writeGraph(String name, Consumer<Ops> build) throws Exception {
        try (Graph graph = new Graph()) {
            build.accept(Ops.create(graph));
            return Files.write(dir.resolve(name), graph.toGraphDef().toByteArray());
        }
    }

    private static ModelException assertKind(Kind kind, Path file, String problem) {
        ModelException e = assertThrows(ModelException.class, () -> DeepLabModel.load(file));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "says what is wrong (" + problem + "): " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }
}

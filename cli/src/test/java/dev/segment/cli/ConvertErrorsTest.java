package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Every error of {@code segment convert} gives its exit code (README table) and one "segment:" line that names the
 * problem, with no stack trace unless {@code --verbose}, leaves no pipeline thread running and destroys nothing: no
 * output file appears for a run that never started, and the input is never touched.
 */
@ModelTest
@SystemTest
class ConvertErrorsTest {
    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path clip;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 3, dir.resolve("clip.mp4"));
    }

    @AfterAll
    static void release() {
        model.close();
    }

    // ---- input ---------------------------------------------------------------------------------------------------

    @Test
    void missingInputExits4AndNamesTheFile() throws Exception {
        Path missing = dir.resolve("no-such-video.mp4");
        Path out = dir.resolve("missing-input-out.mp4");
        Segment.Result r = convert(missing, out);
        assertFailure(r, ExitCodes.INPUT_MISSING, "no-such-video.mp4", "no such file");
        assertFalse(Files.exists(out), "no output for a run that never started");
    }

    @Test
    void textFileNamedMp4Exits5() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "shopping list: milk, eggs\n");
        Segment.Result r = convert(text, dir.resolve("text-out.mp4"));
        assertFailure(r, ExitCodes.INPUT_INVALID, "notes.mp4", "not a media file");
    }

    @Test
    void zeroByteFileExits5() throws Exception {
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        Segment.Result r = convert(empty, dir.resolve("empty-out.mp4"));
        assertFailure(r, ExitCodes.INPUT_INVALID, "empty.mp4", "not a media file");
    }

    @Test
    void directoryAsInputExits5() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder.mp4"));
        assertFailure(
                convert(folder, dir.resolve("folder-out.mp4")), ExitCodes.INPUT_INVALID, "folder.mp4", "directory");
    }

    @Test
    void audioOnlyFileExits5AndSaysThereIsNoVideo() throws Exception {
        Path audio = Ffmpeg.ffmpeg(
                dir.resolve("tone.m4a"), "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac");
        Segment.Result r = convert(audio, dir.resolve("audio-out.mp4"));
        assertFailure(r, ExitCodes.INPUT_INVALID, "tone.m4a", "no video stream; found audio only");
    }

    @Test
    void credentialsOfAnUrlInputNeverAppearInTheError() throws Exception {
        Path out = dir.resolve("rtsp-out.mp4");
        Segment.Result r = Segment.run(
                "convert",
                "rtsp://user:secret@127.0.0.1:1/x",
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--verbose");
        assertTrue(r.exitCode() != ExitCodes.OK, r::toString);
        assertFalse(r.err().contains("secret"), r::toString);
        assertFalse(r.out().contains("secret"), r::toString);
        assertTrue(String.join("\n", r.messages()).contains("rtsp://***@127.0.0.1:1/x"), r::toString);
    }

    // ---- model ---------------------------------------------------------------------------------------------------

    @Test
    void missingModelExits6AndNamesTheFile() throws Exception {
        Path out = dir.resolve("missing-model-out.mp4");
        Segment.Result r = convertWithModel(dir.resolve("no-such-graph.pb"), out);
        assertFailure(r, ExitCodes.MODEL, "no-such-graph.pb", "no such file");
        assertFalse(Files.exists(out), "no output for a run that never started");
    }

    @Test
    void noModelAtAllExits3AndSaysHowToGiveOne() throws Exception {
        Segment.Result r = Segment.run(
                "convert", clip.toString(), dir.resolve("no-model-out.mp4").toString());
        assertFailure(r, ExitCodes.CONFIG, "--model", "model.path");
        assertFalse(String.join("\n", r.messages()).contains(" = :"), "no empty value shown: " + r);
    }

    @Test
    void randomBytesModelExits6() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.pb"), noise);
        assertFailure(
                convertWithModel(file, dir.resolve("noise-out.mp4")),
                ExitCodes.MODEL,
                "noise.pb",
                "not a TensorFlow GraphDef");
    }

    @Test
    void truncatedModelExits6() throws Exception {
        byte[] graph = Files.readAllBytes(Shared.model());
        Path file = Files.write(dir.resolve("half.pb"), Arrays.copyOf(graph, graph.length / 2));
        assertFailure(
                convertWithModel(file, dir.resolve("half-out.mp4")),
                ExitCodes.MODEL,
                "half.pb",
                "not a TensorFlow GraphDef");
    }

    @Test
    void validGraphThatIsNotDeepLabExits6() throws Exception {
        Path file = writeGraph("plus-one.pb", tf -> {
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            tf.withName("y").math.add(x, tf.constant(1f));
        });
        assertFailure(
                convertWithModel(file, dir.resolve("plus-one-out.mp4")), ExitCodes.MODEL, "plus-one.pb", "ImageTensor");
    }

    @Test
    void deepLabGraphWithFiveClassesExits6() throws Exception {
        Path file = writeGraph("five-classes.pb", tf -> {
            tf.withName("ImageTensor").placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
            Operand<TFloat32> grid = tf.zeros(tf.constant(new int[] {1, 65, 65, 5}), TFloat32.class);
            Operand<TFloat32> logits = tf.withSubScope("logits")
                    .withSubScope("semantic")
                    .withName("BiasAdd")
                    .nn
                    .biasAdd(grid, tf.zeros(tf.constant(new int[] {5}), TFloat32.class));
            tf.withName("ResizeBilinear_2").image.resizeBilinear(logits, tf.constant(new int[] {513, 513}));
        });
        assertFailure(
                convertWithModel(file, dir.resolve("five-out.mp4")),
                ExitCodes.MODEL,
                "five-classes.pb",
                "5 classes, expected 21");
    }

    // ---- output --------------------------------------------------------------------------------------------------

    @Test
    void missingOutputDirectoryIsMadeForVideosAsForPhotos() throws Exception {
        Path out = dir.resolve("no-such-dir/out.mp4");
        Segment.Result r = convert(clip, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(Files.isRegularFile(out), "written into the new directory");
    }

    @Test
    void fileAsOutputParentExits7() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertFailure(convert(clip, file.resolve("out.mp4")), ExitCodes.OUTPUT, "plain-file", "out.mp4");
    }

    @Test
    void outputUnderProcExits7() throws Exception {
        assertFailure(
                convert(clip, Path.of("/proc/segment-out.mp4")), ExitCodes.OUTPUT, "/proc/segment-out.mp4", "cannot");
    }

    @Test
    void unsupportedOutputExtensionExits7() throws Exception {
        assertFailure(convert(clip, dir.resolve("out.avi")), ExitCodes.OUTPUT, "out.avi", "use .mp4 or .mkv");
    }

    @Test
    void outputEqualToInputExits7AndLeavesTheInputUntouched() throws Exception {
        byte[] before = digest(clip);
        assertFailure(convert(clip, clip), ExitCodes.OUTPUT, clip.getFileName().toString(), "input");
        Path sameFileOtherSpelling = clip.getParent()
                .resolve(".")
                .resolve("..")
                .resolve(clip.getParent().getFileName())
                .resolve(clip.getFileName());
        assertFailure(convert(clip, sameFileOtherSpelling), ExitCodes.OUTPUT, "clip.mp4", "input");
        Path link = Files.createLink(dir.resolve("hard-link.mp4"), clip);
        assertFailure(convert(clip, link), ExitCodes.OUTPUT, "hard-link.mp4", "input");
        assertArrayEquals(before, digest(clip), "input changed");
    }

    @Test
    void statsFileEqualToInputExits7AndLeavesTheInputUntouched() throws Exception {
        Path copy = Files.copy(clip, dir.resolve("precious.mp4"));
        byte[] before = digest(copy);
        Segment.Result r = Segment.run(
                "convert",
                copy.toString(),
                dir.resolve("stats-in-out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                copy.toString());
        assertFailure(r, ExitCodes.OUTPUT, "precious.mp4", "--stats");
        assertArrayEquals(before, digest(copy), "the input was overwritten by the statistics");
    }

    @Test
    void statsFileEqualToOutputExits7() throws Exception {
        Path out = dir.resolve("stats-is-out.mp4");
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                out.toString());
        assertFailure(r, ExitCodes.OUTPUT, "stats-is-out.mp4", "--stats");
    }

    @Test
    void masksDirectoryEqualToInputExits7() throws Exception {
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                dir.resolve("masks-in-out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--masks",
                clip.toString());
        assertFailure(r, ExitCodes.OUTPUT, "clip.mp4", "--masks");
    }

    @Test
    void statsInAMissingDirectoryIsWrittenThere() throws Exception {
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                dir.resolve("stats-dir-out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                dir.resolve("nowhere/s.jsonl").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(Files.size(dir.resolve("nowhere/s.jsonl")) > 0, "statistics written");
    }

    @Test
    void statsWhereAFileStandsInForTheDirectoryExits7() throws Exception {
        Path file = Files.writeString(dir.resolve("stats-parent-file"), "x");
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                dir.resolve("stats-file-out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                file.resolve("s.jsonl").toString());
        assertFailure(r, ExitCodes.OUTPUT, "stats-parent-file", "statistics file");
    }

    // ---- configuration and command line ---------------------------------------------------------------------------

    @Test
    void wrongTypeInConfigFileExits3NamingFileFieldAndValue() throws Exception {
        Path cfg = Files.writeString(dir.resolve("wrong-type.json"), "{\"crf\": {\"iterations\": \"3\"}}");
        assertFailure(convertWithConfig(cfg), ExitCodes.CONFIG, "wrong-type.json", "crf.iterations = \"3\"", "integer");
    }

    @Test
    void unknownFieldInConfigFileExits3AndSuggestsTheRightName() throws Exception {
        Path cfg = Files.writeString(dir.resolve("typo.yaml"), "crf:\n  iteratons: 5\n");
        assertFailure(convertWithConfig(cfg), ExitCodes.CONFIG, "typo.yaml", "crf.iteratons", "iterations");
    }

    @Test
    void outOfRangeValueInConfigFileExits3NamingTheRange() throws Exception {
        Path cfg = Files.writeString(dir.resolve("range.yaml"), "overlay:\n  alpha: 1.5\n");
        assertFailure(convertWithConfig(cfg), ExitCodes.CONFIG, "range.yaml", "overlay.alpha = 1.5", "between 0 and 1");
    }

    @Test
    void malformedConfigFileExits3WithTheLine() throws Exception {
        Path cfg = Files.writeString(dir.resolve("broken.yaml"), "crf: [1, 2\n");
        assertFailure(convertWithConfig(cfg), ExitCodes.CONFIG, "broken.yaml", "line");
    }

    @Test
    void missingConfigFileExits3() throws Exception {
        assertFailure(convertWithConfig(dir.resolve("absent.yaml")), ExitCodes.CONFIG, "absent.yaml", "not found");
    }

    @Test
    void badFlagValuesExit3NamingFlagFieldAndValue() throws Exception {
        assertFailure(
                convert(clip, dir.resolve("a.mp4"), "--alpha", "2"),
                ExitCodes.CONFIG,
                "--alpha",
                "overlay.alpha = 2",
                "between 0 and 1");
        assertFailure(
                convert(clip, dir.resolve("b.mp4"), "--frames", "ten"),
                ExitCodes.CONFIG,
                "--frames",
                "source.maxFrames = ten",
                "integer");
        assertFailure(
                convert(clip, dir.resolve("c.mp4"), "--frames", "0"),
                ExitCodes.CONFIG,
                "--frames",
                "source.maxFrames = 0");
        assertFailure(
                convert(clip, dir.resolve("d.mp4"), "--crf", "maybe"),
                ExitCodes.CONFIG,
                "--crf",
                "crf.enabled = maybe");
        assertFailure(
                convert(clip, dir.resolve("e.mp4"), "--ring-size", "3"),
                ExitCodes.CONFIG,
                "--ring-size",
                "pipeline.ringSize = 3");
        assertFailure(
                convert(clip, dir.resolve("f.mp4"), "--start", "-1"),
                ExitCodes.CONFIG,
                "--start",
                "source.startFrame = -1");
    }

    @Test
    void unknownFlagExits2() throws Exception {
        assertFailure(convert(clip, dir.resolve("g.mp4"), "--colour", "red"), ExitCodes.USAGE, "--colour");
    }

    @Test
    void missingOutputArgumentExits2() throws Exception {
        Segment.Result r = Segment.run(
                "convert", clip.toString(), "--model", Shared.model().toString());
        assertFailure(r, ExitCodes.USAGE, "OUTPUT");
    }

    @Test
    void verbosePrintsTheStackTrace() throws Exception {
        Segment.Result r = convert(dir.resolve("absent.mp4"), dir.resolve("h.mp4"), "--verbose");
        assertEquals(ExitCodes.INPUT_MISSING, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat dev.segment."), "stack trace with --verbose: " + r);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Segment.Result convert(Path input, Path output, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "convert",
                input.toString(),
                output.toString(),
                "--model",
                Shared.model().toString()));
        args.addAll(List.of(more));
        return Segment.run(args.toArray(String[]::new));
    }

    private static Segment.Result convertWithModel(Path graph, Path output) throws Exception {
        return Segment.run("convert", clip.toString(), output.toString(), "--model", graph.toString());
    }

    private static Segment.Result convertWithConfig(Path config) throws Exception {
        return convert(clip, dir.resolve("cfg-out.mp4"), "--config", config.toString());
    }

    /** Exit code, exactly one "segment:" line containing every fragment, and no stack trace. */
    private static void assertFailure(Segment.Result r, int exitCode, String... fragments) {
        assertEquals(exitCode, r.exitCode(), r::toString);
        List<String> messages = r.messages();
        assertFalse(messages.isEmpty(), () -> "no segment: message\n" + r);
        String first = messages.get(0);
        for (String f : fragments) {
            assertTrue(first.contains(f), () -> "message does not name \"" + f + "\": " + first);
        }
        assertFalse(r.err().contains("\tat "), () -> "stack trace without --verbose\n" + r);
        assertFalse(r.err().contains("Exception in thread"), r::toString);
    }

    private static Path writeGraph(String name, Consumer<Ops> build) throws Exception {
        try (Graph graph = new Graph()) {
            build.accept(Ops.create(graph));
            return Files.write(dir.resolve(name), graph.toGraphDef().toByteArray());
        }
    }

    private static byte[] digest(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}

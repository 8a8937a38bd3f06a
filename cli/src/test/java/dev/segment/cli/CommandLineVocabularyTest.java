package dev.segment.cli;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line never surprises: typos get a suggestion, on|off flags say so, outputs that exist are kept unless
 * {@code --overwrite}, a video is one file, {@code stream --out} follows the same rules as {@code convert}, and masks
 * and statistics are numbered and named after what was read.
 */
@ModelTest
@SystemTest
class CommandLineVocabularyTest {
    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path clip;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 4, dir.resolve("clip.mp4"));
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void typosOfFlagsCommandsAndConfigFieldsGetASuggestion() throws Exception {
        Segment.Result flag = convert(dir.resolve("t1.mp4"), "--frame", "2");
        assertEquals(ExitCodes.USAGE, flag.exitCode(), flag::toString);
        assertTrue(
                flag.messages().get(0).contains("unknown option '--frame' (did you mean '--frames'?)"), flag::toString);
        Segment.Result command = Segment.run("conver", clip.toString(), "x.mp4");
        assertEquals(ExitCodes.USAGE, command.exitCode(), command::toString);
        assertTrue(
                command.messages().get(0).contains("unknown command 'conver' (did you mean 'convert'?)"),
                command::toString);
        Segment.Result streamFlag = Segment.run("stream", clip.toString(), "--frmaes", "2");
        assertTrue(streamFlag.messages().get(0).contains("did you mean '--frames'?"), streamFlag::toString);
        Path config = Files.writeString(dir.resolve("typo.yaml"), "overlay:\n  alpah: 0.3\n");
        Segment.Result field = convert(dir.resolve("t2.mp4"), "--config", config.toString());
        assertEquals(ExitCodes.CONFIG, field.exitCode(), field::toString);
        assertTrue(
                field.messages().get(0).contains("overlay.alpah")
                        && field.messages().get(0).contains("did you mean 'alpha'?"),
                field::toString);
    }

    @Test
    void onOffFlagsTakeOnlyOnOrOff() throws Exception {
        for (String[] bad : new String[][] {{"--crf", "maybe"}, {"--legend", "yes"}, {"--labels", "2"}}) {
            Segment.Result r = convert(dir.resolve("onoff.mp4"), bad);
            assertEquals(ExitCodes.CONFIG, r.exitCode(), r::toString);
            assertTrue(r.messages().get(0).endsWith(bad[1] + ": must be on or off"), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("onoff.mp4")));
    }

    @Test
    void anExistingOutputIsKeptUnlessOverwriteIsGiven() throws Exception {
        Path out = Files.writeString(dir.resolve("kept.mp4"), "an earlier video");
        Segment.Result refused = convert(out);
        assertEquals(ExitCodes.OUTPUT, refused.exitCode(), refused::toString);
        assertTrue(
                refused.messages().get(0).contains("kept.mp4: the output video exists; add --overwrite (or -y)"),
                refused::toString);
        assertEquals("an earlier video", Files.readString(out), "untouched");
        Path stats = Files.writeString(dir.resolve("kept.jsonl"), "earlier statistics");
        Segment.Result statsRefused = convert(dir.resolve("fresh.mp4"), "--stats", stats.toString());
        assertEquals(ExitCodes.OUTPUT, statsRefused.exitCode(), statsRefused::toString);
        assertEquals("earlier statistics", Files.readString(stats));
        assertFalse(Files.exists(dir.resolve("fresh.mp4")), "nothing written for a refused run");
        Segment.Result replaced = convert(out, "-y", "--frames", "2");
        assertEquals(ExitCodes.OK, replaced.exitCode(), replaced::toString);
        assertEquals(2, Ffmpeg.probe(out).frames(), "replaced with -y");
        Segment.Result again = convert(out, "--overwrite", "--frames", "3");
        assertEquals(ExitCodes.OK, again.exitCode(), again::toString);
        assertEquals(3, Ffmpeg.probe(out).frames(), "replaced with --overwrite");
    }

    @Test
    void aVideoGivenADirectoryIsToldToNameAFile() throws Exception {
        Path outDir = Files.createDirectories(dir.resolve("outdir"));
        Segment.Result r = convert(outDir);
        assertEquals(ExitCodes.OUTPUT, r.exitCode(), r::toString);
        assertTrue(
                r.messages()
                        .get(0)
                        .contains("a video is written as one file: name it, e.g. " + outDir.resolve("clip.mp4")),
                r::toString);
    }

    @Test
    void streamOutputsFollowTheSameRulesAsConvert() throws Exception {
        Segment.Result avi = stream("--out", dir.resolve("s.avi").toString());
        assertEquals(ExitCodes.OUTPUT, avi.exitCode(), avi::toString);
        assertTrue(avi.messages().get(0).contains("unsupported output extension \".avi\""), avi::toString);
        assertFalse(Files.exists(dir.resolve("s.avi")), "no directory made for a file name");

        Segment.Result directory = stream("--out", dir.resolve("recordings").toString());
        assertEquals(ExitCodes.OUTPUT, directory.exitCode(), directory::toString);
        assertTrue(directory.messages().get(0).contains("--segment-seconds"), directory::toString);
        assertFalse(Files.exists(dir.resolve("recordings")));

        Segment.Result seconds = stream("--out", dir.resolve("one.mp4").toString(), "--segment-seconds", "5");
        assertEquals(ExitCodes.CONFIG, seconds.exitCode(), seconds::toString);
        assertTrue(seconds.messages().get(0).contains("--segment-seconds"), seconds::toString);

        Path file = dir.resolve("two-frames.mp4");
        Segment.Result frames = stream("--out", file.toString(), "--frames", "2");
        assertEquals(ExitCodes.OK, frames.exitCode(), frames::toString);
        assertEquals(2, Ffmpeg.probe(file).frames());
        Segment.Result exists = stream("--out", file.toString(), "--frames", "2");
        assertEquals(ExitCodes.OUTPUT, exists.exitCode(), exists::toString);
    }

    /** {@code stream --start} reads a file from that frame, as {@code convert} does; a camera has no earlier frames. */
    @Test
    void streamStartsAFileAtTheGivenFrameAndRefusesItForACamera() throws Exception {
        Path masks = dir.resolve("stream-masks");
        Segment.Result r = stream(
                "--out",
                dir.resolve("from-2.mp4").toString(),
                "--start",
                "2",
                "--frames",
                "2",
                "--masks",
                masks.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        try (var files = Files.list(masks)) {
            assertEquals(
                    List.of("frame_000002.png", "frame_000003.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Segment.Result camera = Segment.run(
                "stream",
                "lavfi:testsrc2=size=160x120:rate=5",
                "--model",
                Shared.model().toString(),
                "--out",
                dir.resolve("camera.mp4").toString(),
                "--start",
                "3");
        assertEquals(ExitCodes.CONFIG, camera.exitCode(), camera::toString);
        assertTrue(camera.messages().get(0).contains("--start: source.startFrame = 3: is for files"), camera::toString);
    }

    @Test
    void masksAndStatisticsFollowTheInputsFrameNumbers() throws Exception {
        Path masks = dir.resolve("masks");
        Path stats = dir.resolve("start.jsonl");
        Segment.Result r = convert(
                dir.resolve("start.mp4"),
                "--start",
                "1",
                "--frames",
                "2",
                "--masks",
                masks.toString(),
                "--stats",
                stats.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        try (var files = Files.list(masks)) {
            assertEquals(
                    List.of("frame_000001.png", "frame_000002.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<String> lines = Files.readAllLines(stats);
        assertTrue(
                lines.get(0).startsWith("{\"frame\":1,") && lines.get(1).startsWith("{\"frame\":2,"), lines.toString());
    }

    @Test
    void photoStatisticsNameTheirFile() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path dog = Files.copy(Shared.dir().resolve("data/images/deeplab_image2_dog.jpg"), photos.resolve("dog.jpg"));
        Files.copy(dog, photos.resolve("dog-copy.jpg"));
        Path stats = dir.resolve("photos.jsonl");
        Segment.Result r = Segment.run(
                "convert",
                photos.toString(),
                dir.resolve("overlays").toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                stats.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        List<String> lines = Files.readAllLines(stats);
        assertTrue(lines.get(0).contains("\"photo\":\"" + photos.resolve("dog-copy.jpg") + "\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"photo\":\"" + photos.resolve("dog.jpg") + "\""), lines.get(1));
    }

    private static Segment.Result convert(Path output, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "convert",
                clip.toString(),
                output.toString(),
                "--model",
                Shared.model().toString()));
        args.addAll(List.of(more));
        return Segment.run(args.toArray(String[]::new));
    }

    private static Segment.Result stream(String... more) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("stream", clip.toString(), "--model", Shared.model().toString()));
        args.addAll(List.of(more));
        return Segment.run(args.toArray(String[]::new));
    }
}

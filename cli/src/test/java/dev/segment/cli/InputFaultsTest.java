package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input rows of docs/FAULTS.md: damaged, odd and extreme inputs made from real clips. Empty, text and audio-only
 * files are in {@link ConvertErrorsTest}.
 */
@ModelTest
@SystemTest
class InputFaultsTest {
    private static final int CLIP_FRAMES = 40;

    @TempDir
    static Path dir;

    private static DeepLabModel model;
    /** 40 frames of the people video with the index (moov) first, as streaming-friendly files have it. */
    private static Path faststart;
    /** The same with the index last (FFmpeg's default): a cut loses the index. */
    private static Path indexLast;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        indexLast = Ffmpeg.cut(Shared.peopleVideo(), 80, CLIP_FRAMES, dir.resolve("index-last.mp4"));
        faststart = Ffmpeg.ffmpeg(
                dir.resolve("faststart.mp4"), "-i", indexLast.toString(), "-c", "copy", "-movflags", "+faststart");
    }

    @AfterAll
    static void release() {
        model.close();
    }

    /**
     * A download cut short: the frames before the cut are converted, the exit code is 0 (the output is valid and
     * worth keeping) and a warning says how many of the announced frames were found.
     */
    @ParameterizedTest(name = "cut at {0}%")
    @ValueSource(ints = {25, 50, 90})
    void truncatedFileConvertsTheFramesBeforeTheCutAndWarns(int percent) throws Exception {
        byte[] whole = Files.readAllBytes(faststart);
        Path cut =
                Files.write(dir.resolve("cut" + percent + ".mp4"), Arrays.copyOf(whole, whole.length * percent / 100));
        long decodable = Ffmpeg.probe(cut).frames();
        Path out = dir.resolve("cut" + percent + "-out.mp4");
        Segment.Result r = convert(cut, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        System.out.println(
                "cut at " + percent + "%: ffprobe decodes " + decodable + " frames, output has " + p.frames());
        assertTrue(p.frames() > 0 && p.frames() < CLIP_FRAMES, p::toString);
        assertEquals(decodable, p.frames(), 1, "every decodable frame before the cut is converted");
        String warning = r.messages().stream()
                .filter(m -> m.contains(" ended after "))
                .findFirst()
                .orElse("");
        assertTrue(
                warning.contains("cut" + percent + ".mp4") && warning.contains(" of the " + CLIP_FRAMES + " frames"),
                "warning naming the file and the announced count: " + r);
    }

    @Test
    void truncatedFileWithoutItsIndexExits5() throws Exception {
        byte[] whole = Files.readAllBytes(indexLast);
        Path cut = Files.write(dir.resolve("no-index.mp4"), Arrays.copyOf(whole, whole.length / 2));
        Segment.Result r = convert(cut, dir.resolve("no-index-out.mp4"));
        assertEquals(ExitCodes.INPUT_INVALID, r.exitCode(), r::toString);
        assertTrue(r.messages().get(0).contains("no-index.mp4"), r::toString);
    }

    @Test
    void completeFileGivesNoTruncationWarning() throws Exception {
        Segment.Result r = convert(faststart, dir.resolve("complete-out.mp4"), "--frames", "5");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.messages().stream().noneMatch(m -> m.contains("warning")), r::toString);
    }

    /**
     * Real footage with random bytes over its first key frame and three later slices (container intact): every frame
     * FFmpeg can decode is converted, as many as ffprobe decodes.
     */
    @Test
    void corruptH264StreamIsDecodedPastTheDamage() throws Exception {
        Path corrupt = Ffmpeg.corruptH264(dir, 60);
        String decoder = Ffmpeg.decodeErrors(corrupt);
        assertTrue(decoder.contains("h264"), "the damage must reach the H.264 decoder; ffmpeg said: " + decoder);
        long decodable = Ffmpeg.probe(corrupt).frames();
        assertTrue(decodable > 30 && decodable < 60, "ffprobe decodes " + decodable + " of 60 frames");
        Path out = dir.resolve("corrupt-out.mp4");
        Segment.Result r = convert(corrupt, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(decodable, p.frames(), p::toString);
        assertEquals(768, p.width());
        assertEquals(432, p.height());
    }

    /** H.264 4:2:0 needs even sizes: a 1x1 video is encoded at 2x2 (last pixel repeated); the mask stays 1x1. */
    @Test
    void oneByOnePixelVideoConverts() throws Exception {
        Path tiny = Ffmpeg.ffmpeg(
                dir.resolve("1x1.mp4"),
                "-i",
                faststart.toString(),
                "-frames:v",
                "10",
                "-vf",
                "scale=1:1",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv444p");
        Path masks = dir.resolve("1x1-masks");
        Path out = dir.resolve("1x1-out.mp4");
        Segment.Result r = convert(tiny, out, "--masks", masks.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(10, p.frames(), p::toString);
        assertEquals(2, p.width(), p::toString);
        assertEquals(2, p.height(), p::toString);
        Masks.read(Masks.file(masks, 9), 1, 1);
    }

    /** Rotation metadata (a phone held upright): frames come out upright, so the output is portrait. */
    @Test
    void rotatedVideoComesOutUpright() throws Exception {
        Path rotated = Ffmpeg.ffmpeg(
                dir.resolve("rotated.mp4"),
                "-i",
                faststart.toString(),
                "-frames:v",
                "5",
                "-c",
                "copy",
                "-metadata:s:v:0",
                "rotate=90");
        Path out = dir.resolve("rotated-out.mp4");
        Segment.Result r = convert(rotated, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(432, p.width(), p::toString);
        assertEquals(768, p.height(), p::toString);
        assertEquals(5, p.frames(), p::toString);
    }

    /** Two video streams (768x432, 384x216): the default one (largest, first) is converted, once. */
    @Test
    void containerWithTwoVideoStreamsConvertsTheDefaultOne() throws Exception {
        Path two = Ffmpeg.ffmpeg(
                dir.resolve("two-videos.mkv"),
                "-i",
                faststart.toString(),
                "-i",
                faststart.toString(),
                "-filter_complex",
                "[1:v]scale=384:216[small]",
                "-map",
                "0:v",
                "-map",
                "[small]",
                "-frames:v",
                "12",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast");
        assertEquals(2, Ffmpeg.probe(two).videoStreams());
        Path out = dir.resolve("two-out.mp4");
        Segment.Result r = convert(two, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(1, p.videoStreams(), p::toString);
        assertEquals(768, p.width(), p::toString);
        assertEquals(12, p.frames(), p::toString);
    }

    /** 20 frames: 10 at 10 fps, then 10 at 25 fps (timestamps from setpts in ms). */
    private static Path variableRateClip() throws Exception {
        return Ffmpeg.ffmpeg(
                dir.resolve("vfr.mp4"),
                "-i",
                faststart.toString(),
                "-frames:v",
                "20",
                "-vf",
                "settb=1/1000,setpts=if(lt(N\\,10)\\,N*0.1\\,1+(N-10)*0.04)/TB",
                "-fps_mode",
                "passthrough",
                "-enc_time_base",
                "1:1000",
                "-video_track_timescale",
                "1000",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast");
    }

    @Test
    void variableFrameRateKeepsEveryFrame() throws Exception {
        Path vfr = variableRateClip();
        Path out = dir.resolve("vfr-out.mp4");
        Segment.Result r = convert(vfr, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertEquals(20, Ffmpeg.probe(out).frames());
    }

    @Test
    void variableFrameRateKeepsEachFrameTimeWithinHalfANominalFrame() throws Exception {
        Path vfr = variableRateClip();
        Path out = dir.resolve("vfr-times-out.mp4");
        Segment.Result r = convert(vfr, out);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        List<Double> in = Ffmpeg.frameTimes(vfr);
        List<Double> got = Ffmpeg.frameTimes(out);
        assertEquals(in.size(), got.size());
        double halfFrame = 0.5 / Ffmpeg.probe(vfr).fps();
        for (int i = 0; i < in.size(); i++) {
            double expected = in.get(i) - in.get(0);
            double actual = got.get(i) - got.get(0);
            assertEquals(expected, actual, halfFrame, "frame " + i + " time; input " + in + ", output " + got);
        }
    }

    /**
     * 8K (7680x4320) frames in a child JVM with the heap the JVM picks by default (a quarter of the RAM): the ring's
     * preallocated slots are direct buffers, bounded by that heap size.
     */
    @Test
    void eightKFramesConvertWithTheDefaultHeap() throws Exception {
        Path big = eightK();
        Path out = dir.resolve("8k-out.mp4");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                dir.resolve("8k.log"),
                "convert",
                big.toString(),
                out.toString(),
                "--model",
                Shared.model().toString())) {
            int exit = child.waitFor(300);
            assertEquals(ExitCodes.OK, exit, child::output);
            assertFalse(child.output().contains("OutOfMemoryError"), child::output);
        }
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(7680, p.width());
        assertEquals(4320, p.height());
        assertEquals(2, p.frames());
    }

    /**
     * With a 1 GB heap the ring shrinks to the slots that fit (2 of 232 MB at 8K instead of 16) and the conversion
     * succeeds.
     */
    @Test
    void eightKFramesConvertWithA1GbHeapBecauseTheRingShrinks() throws Exception {
        Path big = eightK();
        Path out = dir.resolve("8k-1g.mp4");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"),
                dir.resolve("8k-1g.log"),
                "convert",
                big.toString(),
                out.toString(),
                "--model",
                Shared.model().toString())) {
            int exit = child.waitFor(300);
            assertEquals(ExitCodes.OK, exit, child::output);
        }
        assertEquals(2, Ffmpeg.probe(out).frames());
    }

    /**
     * With a 256 MB heap not even two 8K slots fit: one line says so and what to do, exit 1, no stack trace.
     */
    @Test
    void eightKFramesWithATooSmallHeapGiveAClearOutOfMemoryMessage() throws Exception {
        Path big = eightK();
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                dir.resolve("8k-small-heap.log"),
                "convert",
                big.toString(),
                dir.resolve("8k-small-heap.mp4").toString(),
                "--model",
                Shared.model().toString())) {
            int exit = child.waitFor(180);
            String log = child.output();
            assertEquals(ExitCodes.INTERNAL, exit, log);
            assertTrue(log.contains("segment: out of memory") && log.contains("--ring-size"), log);
            assertFalse(log.contains("\tat "), log);
        }
    }

    private static synchronized Path eightK() throws Exception {
        Path big = dir.resolve("8k.mp4");
        if (!Files.exists(big)) {
            Ffmpeg.ffmpeg(
                    big,
                    "-i",
                    faststart.toString(),
                    "-frames:v",
                    "2",
                    "-vf",
                    "scale=7680:4320",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast");
        }
        return big;
    }

    private static Segment.Result convert(Path input, Path output, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "convert",
                input.toString(),
                output.toString(),
                "--model",
                Shared.model().toString()));
        args.addAll(List.of(more));
        return Segment.run(args.toArray(String[]::new));
    }
}

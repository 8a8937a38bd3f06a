package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment convert} as people call it: two runs on one output, {@code --start} past the end, {@code -} for a
 * pipe, {@code --video-quality} (and its old spelling).
 */
@ModelTest
@SystemTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConvertCommandLineTest {
    private static final int CLIP_FRAMES = 20;

    @TempDir
    static Path dir;

    private static DeepLabModel model;
    /** 20 frames of the people video, H.264 in MP4 (the header says 20 frames). */
    private static Path clip;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        clip = Ffmpeg.cut(Shared.peopleVideo(), 80, CLIP_FRAMES, dir.resolve("clip.mp4"));
    }

    @AfterAll
    static void release() {
        model.close();
    }

    /**
     * A second run given the output of a running one is refused, naming the path, before it touches the file; the
     * first finishes and its file is complete.
     */
    @Test
    void secondRunOnTheSameOutputIsRefusedAndTheFirstFinishesIntact() throws Exception {
        Path out = dir.resolve("shared-out.mp4");
        Path lock = dir.resolve(".shared-out.mp4.lock");
        try (ChildSegment first = ChildSegment.start(
                List.of(),
                List.of(),
                dir.resolve("first.log"),
                "convert",
                Shared.peopleVideo().toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "40")) {
            // the output appears when the encoder opens, after the model loaded: the lock is taken by then
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("the first run ended", () -> !first.isAlive())
                    .until(() -> Files.exists(out));
            assertTrue(Files.exists(lock) && first.isAlive(), first::output);
            Segment.Result second = Segment.run(
                    "convert",
                    clip.toString(),
                    out.toString(),
                    "--model",
                    Shared.model().toString());
            assertEquals(ExitCodes.OUTPUT, second.exitCode(), second::toString);
            String line = second.messages().get(0);
            assertTrue(line.contains(out.toString()) && line.contains("another segment run"), second::toString);
            assertEquals(ExitCodes.OK, first.waitFor(240), first::output);
        }
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(40, p.frames(), p::toString);
        assertEquals(768, p.width(), p::toString);
        assertFalse(Files.exists(lock), "the lock file is removed when the run ends");
        // and the output is free again (it exists now: replacing it takes --overwrite)
        Segment.Result again = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "2",
                "--overwrite");
        assertEquals(ExitCodes.OK, again.exitCode(), again::toString);
    }

    @Test
    void startPastTheLastFrameSaysHowManyFramesTheInputHas() throws Exception {
        Path out = dir.resolve("past-end.mp4");
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--start",
                "25");
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r::toString);
        assertTrue(
                r.messages()
                        .get(0)
                        .contains("--start: source.startFrame = 25: past the last frame: " + clip
                                + " has 20 frames (0 to 19)"),
                r::toString);
        assertFalse(Files.exists(out), "nothing written");
        Segment.Result last = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--start",
                "19");
        assertEquals(ExitCodes.OK, last.exitCode(), last::toString);
        assertEquals(1, Ffmpeg.probe(out).frames());
    }

    /** A container without a frame count in its header (MPEG-TS): the end is found by reading, then reported. */
    @Test
    void startPastTheEndOfAStreamWithoutAFrameCount() throws Exception {
        Path ts = Ffmpeg.ffmpeg(dir.resolve("clip.ts"), "-i", clip.toString(), "-c", "copy", "-f", "mpegts");
        Segment.Result r = Segment.run(
                "convert",
                ts.toString(),
                dir.resolve("ts-past-end.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--start",
                "25");
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r::toString);
        assertTrue(
                r.messages().stream()
                        .anyMatch(l -> l.contains(
                                "past the last frame: " + ts + " ended before frame 25 (it has fewer than 26 frames)")),
                r::toString);
    }

    /** {@code cat clip.ts | segment convert - out.mp4}: a real pipe, written by the test while the child reads. */
    @Test
    void dashReadsStandardInput() throws Exception {
        Path ts = Ffmpeg.ffmpeg(dir.resolve("piped.ts"), "-i", clip.toString(), "-c", "copy", "-f", "mpegts");
        Path out = dir.resolve("from-stdin.mp4");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                dir.resolve("stdin.log"),
                "convert",
                "-",
                out.toString(),
                "--model",
                Shared.model().toString())) {
            try (OutputStream in = child.stdin()) {
                Files.copy(ts, in);
            }
            assertEquals(ExitCodes.OK, child.waitFor(240), child::output);
        }
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(CLIP_FRAMES, p.frames(), p::toString);
        assertEquals(768, p.width(), p::toString);
    }

    /** {@code --video-quality} is x264's rate factor: a higher value gives a smaller file. */
    @Test
    void videoQualitySetsTheEncodersRateFactorAndQualityStillWorks() throws Exception {
        Path fine = dir.resolve("q15.mp4");
        Path coarse = dir.resolve("q45.mp4");
        Segment.Result a = Segment.run(
                "convert",
                clip.toString(),
                fine.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "8",
                "--video-quality",
                "15");
        Segment.Result b = Segment.run(
                "convert",
                clip.toString(),
                coarse.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "8",
                "--quality",
                "45");
        assertEquals(ExitCodes.OK, a.exitCode(), a::toString);
        assertEquals(ExitCodes.OK, b.exitCode(), b::toString);
        long fineBytes = Files.size(fine);
        long coarseBytes = Files.size(coarse);
        assertTrue(
                coarseBytes * 2 < fineBytes,
                "--video-quality 15: " + fineBytes + " bytes, --quality 45: " + coarseBytes + " bytes");
        Segment.Result bad = Segment.run(
                "convert",
                clip.toString(),
                dir.resolve("q70.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--video-quality",
                "70");
        assertEquals(ExitCodes.CONFIG, bad.exitCode(), bad::toString);
        assertTrue(bad.messages().get(0).contains("--video-quality: output.quality = 70"), bad::toString);
    }

    @Test
    void helpShowsVideoQualityAndHidesTheOldSpelling() throws Exception {
        Segment.Result r = Segment.run("convert", "--help");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("--video-quality=Q"), r.out());
        assertFalse(r.out().contains("--quality"), r.out());
    }
}

package dev.segment.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversion in a child JVM interrupted mid-way: SIGINT and SIGTERM finalize the output and exit 130 / 143 with as
 * many statistics lines as frames in the file; SIGKILL still leaves a file ffprobe reads (fragmented MP4).
 */
@ModelTest
@SystemTest
class ConvertSignalsTest {
    private static final Pattern INTERRUPTED = Pattern.compile("segment: interrupted; (\\d+) frames written to ");

    @TempDir
    static Path clips;
    /** 300 frames of the people video at 384x216: a quarter of the pixels, so the child gets going quickly. */
    private static Path clip;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = Ffmpeg.cut(Shared.peopleVideo(), 60, 300, clips.resolve("people-384x216.mp4"), "scale=384:216");
    }

    @Test
    void sigintFinalizesTheFramesWrittenSoFarAndExits130() throws Exception {
        assertGracefulStop("INT", ExitCodes.INTERRUPTED);
    }

    @Test
    void sigtermFinalizesTheFramesWrittenSoFarAndExits143() throws Exception {
        assertGracefulStop("TERM", ExitCodes.TERMINATED);
    }

    @Test
    void sigkillLeavesAnOutputFfprobeReads() throws Exception {
        Path out = dir.resolve("killed.mp4");
        Path stats = dir.resolve("killed.jsonl");
        try (ChildSegment child = start(out, stats)) {
            // fragments are cut every second (10 frames here) and the encoder holds ~20 frames back: wait until
            // the first fragment is in the file, then a few more frames
            awaitLines(child, stats, 15);
            awaitFragment(child, out);
            awaitLines(child, stats, Files.readAllLines(stats).size() + 5);
            child.signal("KILL");
            assertEquals(128 + 9, child.waitFor(30));
        }
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        long lines = Files.readAllLines(stats).size();
        System.out.println("SIGKILL after " + lines + " statistics lines: ffprobe reads " + p.frames() + " frames");
        assertTrue(p.frames() > 0, p::toString);
        assertTrue(p.frames() <= lines, "more frames than were reported: " + p + " vs " + lines);
    }

    private void assertGracefulStop(String signal, int exitCode) throws Exception {
        Path out = dir.resolve("sig" + signal + ".mp4");
        Path stats = dir.resolve("sig" + signal + ".jsonl");
        String log;
        try (ChildSegment child = start(out, stats)) {
            if (signal.equals("INT")) {
                Assumptions.assumeFalse(
                        child.ignoresSigint(),
                        "this build runs with SIGINT ignored (a background job"
                                + " of a non-interactive shell): the JVM installs no SIGINT handler, so Ctrl-C cannot be tested");
            }
            awaitLines(child, stats, 5);
            child.signal(signal);
            assertEquals(exitCode, child.waitFor(90), child::output);
            log = child.output();
        }
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        List<String> lines = Files.readAllLines(stats);
        Matcher m = INTERRUPTED.matcher(log);
        assertTrue(m.find(), "no interrupted message:\n" + log);
        long reported = Long.parseLong(m.group(1));
        System.out.println("SIG" + signal + ": " + reported + " frames reported, " + p.frames() + " in the file, "
                + lines.size() + " statistics lines");
        assertTrue(p.frames() > 0, p::toString);
        assertEquals(p.frames(), lines.size(), "one statistics line per frame in the file");
        assertEquals(p.frames(), reported, "the message says how many frames the file has");
        assertTrue(p.frames() < 300, "stopped early: " + p);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ")), log);
    }

    private ChildSegment start(Path out, Path stats) throws IOException {
        return ChildSegment.start(
                List.of(),
                List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                dir.resolve(out.getFileName() + ".log"),
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                stats.toString());
    }

    /** Waits until the MP4 holds a movie fragment ("moof" box), not just its header; fails if the child ends first. */
    private static void awaitFragment(ChildSegment child, Path mp4) {
        await().atMost(Duration.ofSeconds(120))
                .failFast("the child ended before writing a fragment", () -> !child.isAlive())
                .untilAsserted(() -> assertTrue(
                        Files.exists(mp4)
                                && new String(Files.readAllBytes(mp4), StandardCharsets.ISO_8859_1).contains("moof"),
                        () -> "no fragment in " + mp4 + ":\n" + child.output()));
    }

    /** Waits until the statistics file has {@code n} lines (frames written); fails if the child ends first. */
    private static void awaitLines(ChildSegment child, Path stats, int n) {
        await().atMost(Duration.ofSeconds(120))
                .failFast("the child ended before writing " + n + " frames", () -> !child.isAlive())
                .untilAsserted(() -> assertTrue(
                        Files.exists(stats) && Files.readAllLines(stats).size() >= n,
                        () -> "fewer than " + n + " frames:\n" + child.output()));
    }
}

package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Mounts;
import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output rows of docs/FAULTS.md that need the file system's help: a read-only directory, a full disk (tmpfs) and
 * a file-size limit (prlimit). Missing directories, /proc and output == input are in {@link ConvertErrorsTest}.
 * Whatever was written before a write failed stays readable.
 */
@ModelTest
@SystemTest
class OutputFaultsTest {
    @TempDir
    static Path dir;

    private static DeepLabModel model;
    /** 100 frames of the people video at 384x216 (small fragments, so a small limit still holds a few). */
    private static Path clip;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 100, dir.resolve("people-384x216.mp4"), "scale=384:216");
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void readOnlyDirectoryExits7BeforeAnyWork() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("read-only"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Mounts.bindReadOnly(ro);
        } else {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Path out = ro.resolve("out.mp4");
            Segment.Result r = Segment.run(
                    "convert",
                    clip.toString(),
                    out.toString(),
                    "--model",
                    Shared.model().toString(),
                    "--frames",
                    "3");
            assertEquals(ExitCodes.OUTPUT, r.exitCode(), r::toString);
            String message = r.messages().get(0);
            assertTrue(message.contains(ro.toString()) && message.contains("not writable"), message);
            assertFalse(Files.exists(out));
        } finally {
            if (root) {
                Mounts.unmount(ro);
            } else {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** ENOSPC: a 32 KB tmpfs fills up mid-run (the whole output would be about 70 KB). */
    @Test
    void fullDiskExits7NamingTheFileAndKeepsTheFramesWrittenBefore() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small-disk"));
        Mounts.tmpfs(small, 32);
        try {
            Path out = small.resolve("out.mp4");
            Segment.Result r = Segment.run(
                    "convert",
                    clip.toString(),
                    out.toString(),
                    "--model",
                    Shared.model().toString(),
                    "--stats",
                    dir.resolve("full.jsonl").toString());
            assertEquals(ExitCodes.OUTPUT, r.exitCode(), r::toString);
            String message = String.join("\n", r.messages());
            assertTrue(message.contains(out.toString()) && message.contains("No space left on device"), message);
            assertReadablePrefix(out, dir.resolve("full.jsonl"), r.toString());
        } finally {
            Mounts.unmount(small);
        }
    }

    /** The statistics file on a full disk (8 KB tmpfs, ~25 lines): exit 7 naming it; the video is still finalized. */
    @Test
    void statisticsOnAFullDiskExit7NamingTheFileAndTheVideoIsFinalized() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small-stats-disk"));
        Mounts.tmpfs(small, 8);
        try {
            Path stats = small.resolve("stats.jsonl");
            Path out = dir.resolve("stats-full.mp4");
            Segment.Result r = Segment.run(
                    "convert",
                    clip.toString(),
                    out.toString(),
                    "--model",
                    Shared.model().toString(),
                    "--stats",
                    stats.toString());
            assertEquals(ExitCodes.OUTPUT, r.exitCode(), r::toString);
            String message = String.join("\n", r.messages());
            assertTrue(message.contains(stats.toString()) && message.contains("No space left on device"), message);
            long lines = Files.readAllLines(stats).size();
            Ffmpeg.Probe p = Ffmpeg.probe(out);
            System.out.println(
                    "statistics disk full after " + lines + " lines; the video has " + p.frames() + " frames");
            assertTrue(p.frames() >= lines && p.frames() < 100, p + " vs " + lines + " lines");
        } finally {
            Mounts.unmount(small);
        }
    }

    /** EFBIG: a child JVM under {@code prlimit --fsize} (a quota, or FAT32's 4 GB, in small). */
    @Test
    void fileSizeLimitExits7NamingTheFileAndKeepsTheFramesWrittenBefore() throws Exception {
        Path out = dir.resolve("limited.mp4");
        Path stats = dir.resolve("limited.jsonl");
        String log;
        try (ChildSegment child = ChildSegment.start(
                List.of("prlimit", "--fsize=30000"),
                List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g"),
                dir.resolve("limited.log"),
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--stats",
                stats.toString())) {
            int exit = child.waitFor(180);
            log = child.output();
            assertEquals(ExitCodes.OUTPUT, exit, log);
        }
        assertTrue(log.contains("segment: output error: " + out) && log.contains("File too large"), log);
        assertFalse(log.lines().anyMatch(l -> l.startsWith("\tat ")), log);
        assertReadablePrefix(out, stats, log);
    }

    /** The output up to the failure is a file ffprobe reads, with no more frames than the stats reported. */
    private static void assertReadablePrefix(Path out, Path stats, String context) throws Exception {
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        long lines = Files.readAllLines(stats).size();
        System.out.println(out.getFileName() + ": " + Files.size(out) + " bytes, ffprobe reads " + p.frames()
                + " frames, " + lines + " statistics lines");
        assertTrue(p.frames() > 0, () -> p + "\n" + context);
        assertTrue(p.frames() <= lines, () -> p + " vs " + lines + " lines\n" + context);
        assertTrue(lines < 100, "stopped at the failure: " + lines + " lines");
    }
}

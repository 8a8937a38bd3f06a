package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code segment soak} on a tiny looping clip: the table, the per-counter changes and the verdict line. */
@ModelTest
@SystemTest
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SoakCommandTest {
    private static final Pattern VERDICT = Pattern.compile(
            "verdict: RSS ([0-9.]+) MiB at frame 40 -> ([0-9.]+) MiB at frame 90: ([-+][0-9.]+)% \\(target < 5%\\)"
                    + " (PASS|FAIL)");

    @TempDir
    Path dir;

    @Test
    void shouldPrintASampleEveryNFramesAndTheRssGrowthAfterTheWarmup() throws Exception {
        Path clip = Ffmpeg.cut(Shared.peopleVideo(), 300, 20, dir.resolve("clip.mp4"), "scale=160:90");
        Path out = dir.resolve("soak.mp4");
        Segment.Result r = Segment.run(
                "soak",
                clip.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "90",
                "--sample-every",
                "10",
                "--warmup",
                "40",
                "--out",
                out.toString());

        assertEquals(0, r.exitCode(), r.toString());
        List<String> rows = r.out()
                .lines()
                .filter(l -> l.matches("\\s+\\d+(\\s+([0-9.]+|n/a)){9}"))
                .toList();
        assertEquals(9, rows.size(), "one row per 10 frames:\n" + r.out());
        assertTrue(rows.get(8).trim().startsWith("90 "), rows.get(8));
        assertTrue(r.out().contains("90 frames in "), r.out());
        assertTrue(r.out().contains("clip played 5 times"), "90 frames of a 20-frame clip:\n" + r.out());
        Matcher m = VERDICT.matcher(r.out());
        assertTrue(m.find(), r.out());
        double from = Double.parseDouble(m.group(1));
        double to = Double.parseDouble(m.group(2));
        assertEquals(100 * (to - from) / from, Double.parseDouble(m.group(3)), 0.05, "the percentage is the change");
        assertEquals(90, Ffmpeg.probe(out).frames(), "--out keeps the overlay video with every frame");
    }

    @Test
    void shouldRejectAWarmupThatLeavesNoSampleToCompare() throws Exception {
        Path missing = dir.resolve("nothing.mp4");
        Segment.Result r = Segment.run(
                "soak",
                missing.toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "100",
                "--warmup",
                "50",
                "--sample-every",
                "60");
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--warmup"), r.toString());
        assertTrue(Files.notExists(missing));
    }
}

package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal convert prints its summary and nothing else: no TensorFlow start-up notices (oneDNN, CPU features, absl,
 * MLIR), no FFmpeg or x264 messages. {@code --verbose} brings them back. A child JVM, because TensorFlow's and
 * FFmpeg's output goes to the process's own stderr and TensorFlow reads its level once per process.
 */
@ModelTest
@SystemTest
class QuietLogsTest {
    /** The summary: "OUT: 10 frames in 2.1s (4.76 fps)", the process's CPU a frame, the stage table's header and rows. */
    private static final Pattern SUMMARY = Pattern.compile(".*: \\d+ frames in .*|  stage +mean ms +p95 ms +cpu ms"
            + "|  (decode|infer|propagate|crf|encode) +[0-9.]+ +[0-9.]+ +([0-9.]+|-)"
            + "|  the model ran \\d+ times? .*|  CPU [0-9.]+ ms a frame .*");

    @TempDir
    Path dir;

    @Test
    void aNormalConvertPrintsOnlyTheSummary() throws Exception {
        String out = convert("quiet.mp4");
        List<String> others = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (!SUMMARY.matcher(line).matches()) {
                others.add(line);
            }
        }
        assertEquals(List.of(), others, "lines besides the summary:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.contains(": 10 frames in ")), out);
    }

    @Test
    void verboseShowsTensorFlowAndFfmpegMessages() throws Exception {
        String out = convert("verbose.mp4", "--verbose");
        assertTrue(out.contains("MLIR V1 optimization pass"), "TensorFlow's absl line:\n" + out);
        assertTrue(out.contains(" ffmpeg: [libx264] "), "x264 through FFmpeg's log, in our format:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.contains(": 10 frames in ")), out);
    }

    private String convert(String output, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "convert",
                Shared.peopleVideo().toString(),
                dir.resolve(output).toString(),
                "--model",
                Shared.model().toString(),
                "--frames",
                "10"));
        args.addAll(List.of(extra));
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of("-Xmx1g", "-XX:+UseSerialGC"),
                dir.resolve(output + ".log"),
                args.toArray(String[]::new))) {
            assertEquals(0, child.waitFor(300), child.output());
            return child.output();
        }
    }
}

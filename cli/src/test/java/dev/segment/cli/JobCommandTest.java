package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.testing.ClusterTest;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment job} over three short clips and a file that is not a video, on two workers of the embedded Flink
 * cluster: the three are converted whole, the broken one is named, no stack trace is printed, exit code 5.
 */
@ClusterTest
@ModelTest
@SystemTest
class JobCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertsTheGoodClipsWholeAndNamesTheBrokenOne() throws Exception {
        Path people = Ffmpeg.cut(Shared.peopleVideo(), 70, 20, dir.resolve("people.mp4"), "scale=192:108");
        Path cars = Ffmpeg.cut(
                Shared.dir().resolve("data/videos/intel_car-detection.mp4"),
                30,
                16,
                dir.resolve("cars.mp4"),
                "scale=192:108");
        Path bottle = Ffmpeg.cut(
                Shared.dir().resolve("data/videos/intel_bottle-detection.mp4"),
                10,
                12,
                dir.resolve("bottle.mp4"),
                "scale=160:120");
        Path broken = Files.writeString(dir.resolve("broken.mp4"), "not a video\n");
        Path list = Files.write(
                dir.resolve("inputs.txt"),
                List.of(
                        "# three clips and a broken file",
                        people.toString(),
                        cars.toString(),
                        bottle.toString(),
                        broken.toString()));
        Path out = dir.resolve("out");

        // keyframes all: see SegmentJobTest.KEYFRAMES
        Segment.Result r = Segment.run(
                "job",
                "--inputs",
                list.toString(),
                "--model",
                Shared.model().toString(),
                "--output-dir",
                out.toString(),
                "--parallelism",
                "2",
                "--crf",
                "off",
                "--keyframes",
                "all");

        assertEquals(ExitCodes.INPUT_INVALID, r.exitCode(), r::toString);
        assertTrue(r.err().contains("3 of 4 input(s) converted"), r::toString);
        assertTrue(r.err().contains(broken + ": FAILED: "), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        assertFalse(r.err().contains("Exception"), "no exception names: " + r);
        // Flink's vocabulary stays inside: no splits, subtasks, checkpoints or "frames already emitted"
        for (String internal : List.of("emitted", "split", "subtask", "checkpoint", "enumerator")) {
            assertFalse(r.err().toLowerCase(java.util.Locale.ROOT).contains(internal), internal + ": " + r);
        }
        assertTrue(r.err().contains("worker 0 takes ") || r.err().contains("worker 1 takes "), r::toString);
        for (Path clip : List.of(people, cars, bottle)) {
            long frames = Ffmpeg.probe(clip).frames();
            Path video = out.resolve(clip.getFileName());
            assertEquals(frames, Ffmpeg.probe(video).frames(), video + " has every frame of " + clip);
            assertTrue(r.err().contains(clip + ": " + frames + " frames -> " + video), r::toString);
        }
        assertFalse(Files.exists(out.resolve("broken.mp4")));
    }

    @Test
    void aMalformedKafkaTargetIsNamedBeforeAnythingRuns() throws Exception {
        Path out = dir.resolve("out");
        Segment.Result r = Segment.run(
                "job",
                "--inputs",
                dir.resolve("none.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--output-dir",
                out.toString(),
                "--records",
                "kafka://broker/frames");

        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(
                r.err()
                        .contains("--records must be kafka://HOST:PORT/TOPIC, got \"kafka://broker/frames\": broker"
                                + " \"broker\" has no HOST:PORT"),
                r::toString);
        assertFalse(Files.exists(out), "nothing written");
    }
}

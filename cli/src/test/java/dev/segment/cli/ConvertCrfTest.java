package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.cli.support.ChildSegment;
import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert --crf on}: the DenseCRF stage runs on every frame; a broken native library is exit 8. */
@ModelTest
@SystemTest
class ConvertCrfTest {
    @TempDir
    Path dir;

    @Test
    void crfRefinesEveryFrameAndThePersonIsStillFound() throws Exception {
        Path clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 4, dir.resolve("clip.mp4"), "scale=384:216");
        Path masks = dir.resolve("masks");
        Path stats = dir.resolve("stats.jsonl");
        Path out = dir.resolve("crf.mp4");
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--crf",
                "on",
                "--masks",
                masks.toString(),
                "--stats",
                stats.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertEquals(4, Ffmpeg.probe(out).frames());
        List<String> lines = Files.readAllLines(stats);
        assertEquals(4, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 4; i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertTrue(line.get("crf_iterations").asInt() > 0, "CRF ran on frame " + i + ": " + line);
            long[] counts = Masks.histogram(Masks.read(Masks.file(masks, i), 384, 216));
            assertTrue(counts[Masks.PERSON] > 0.005 * 384 * 216, "person on frame " + i + ": " + counts[15]);
        }
    }

    @Test
    void brokenNativeLibraryExits8NamingIt() throws Exception {
        Path clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 2, dir.resolve("clip.mp4"), "scale=384:216");
        Path fake = Files.writeString(dir.resolve("libsegcrf.so"), "not a shared library");
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of("-Dsegment.crf.library=" + fake, "-XX:TieredStopAtLevel=1"),
                dir.resolve("child.log"),
                "convert",
                clip.toString(),
                dir.resolve("out.mp4").toString(),
                "--model",
                Shared.model().toString(),
                "--crf",
                "on")) {
            int exit = child.waitFor(120);
            String log = child.output();
            assertEquals(ExitCodes.NATIVE, exit, log);
            assertTrue(log.contains("segment: native CRF error") && log.contains(fake.toString()), log);
            assertFalse(log.contains("\tat "), log);
        }
    }
}

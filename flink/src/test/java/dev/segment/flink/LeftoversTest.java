package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's clean-up deletes: its own hidden leftovers, never another run's files or anything visible. */
class LeftoversTest {
    private static final String RUN = "run-20261207-010203";

    @Test
    void aFinishedRunRemovesItsHiddenVideosAndInProgressPartFiles(@TempDir Path out) throws Exception {
        Path records = Files.createDirectories(out.resolve(SegmentJob.RECORDS_DIR));
        Path occupancy = Files.createDirectories(out.resolve(SegmentJob.OCCUPANCY_DIR));
        List<Path> gone = List.of(
                touch(out.resolve(".people." + RUN + "-0.0b4c.inprogress.mp4")),
                touch(out.resolve(".camera-1." + RUN + "-3.77aa.inprogress.mp4")),
                touch(records.resolve("." + RUN + "-5c97-3.jsonl.inprogress.9f1e")),
                touch(occupancy.resolve("." + RUN + "-aaf6-0.jsonl.inprogress.0c2d")));
        List<Path> kept = List.of(
                touch(out.resolve("people.mp4")),
                touch(out.resolve(".people.run-20261207-999999-0.0b4c.inprogress.mp4")), // another run's
                touch(records.resolve(RUN + "-5c97-2.jsonl")),
                touch(records.resolve(".run-20261207-999999-5c97-3.jsonl.inprogress.9f1e")));

        assertEquals(gone.size(), SegmentJob.removeLeftovers(out, RUN, true));
        assertEquals(Set.copyOf(kept), existing(out));
    }

    @Test
    void aFailedRunKeepsThePartFilesOfItsLastCheckpoint(@TempDir Path out) throws Exception {
        Path records = Files.createDirectories(out.resolve(SegmentJob.RECORDS_DIR));
        touch(out.resolve(".people." + RUN + "-0.0b4c.inprogress.mp4"));
        Path pending = touch(records.resolve("." + RUN + "-5c97-3.jsonl.inprogress.9f1e"));

        assertEquals(1, SegmentJob.removeLeftovers(out, RUN, false));
        assertEquals(Set.of(pending), existing(out));
    }

    private static Path touch(Path p) throws Exception {
        return Files.writeString(p, "x");
    }

    private static Set<Path> existing(Path out) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }
}

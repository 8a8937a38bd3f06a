package dev.segment.flink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a finished job did per input, read back from the committed JSON-lines records of one run: the input's last
 * record (complete with its frame count and output, or failed with its error) and the frame records found.
 *
 * @param outcomes   by input, in input order: the complete or failed record, or null if the input never ended
 * @param frames     by input: frame records found
 * @param runtimeMillis the job's run time (-1 when it was cancelled)
 * @param cancelled  the job was cancelled (cameras, Ctrl-C) rather than finished
 */
public record JobReport(
        Map<String, FrameRecord> outcomes, Map<String, Long> frames, long runtimeMillis, boolean cancelled) {

    /**
     * Reads the records of run {@code runId} under {@code outputDir/records}, one at a time (a long job's frame
     * records are counted, not kept).
     */
    public static JobReport read(
            Path outputDir, String runId, List<String> inputs, long runtimeMillis, boolean cancelled)
            throws IOException {
        Map<String, FrameRecord> outcomes = new LinkedHashMap<>();
        inputs.forEach(i -> outcomes.put(i, null));
        Map<String, Long> frames = new HashMap<>();
        forEachRecord(outputDir, runId, r -> {
            if (r.describesFrame()) {
                frames.merge(r.input, 1L, Long::sum);
            } else {
                outcomes.put(r.input, r);
            }
        });
        return new JobReport(outcomes, frames, runtimeMillis, cancelled);
    }

    /** Every committed record of run {@code runId} (null: of every run) under {@code outputDir/records}. */
    public static List<FrameRecord> records(Path outputDir, String runId) throws IOException {
        List<FrameRecord> out = new ArrayList<>();
        forEachRecord(outputDir, runId, out::add);
        return out;
    }

    private static void forEachRecord(Path outputDir, String runId, java.util.function.Consumer<FrameRecord> action)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Path dir = outputDir.resolve(SegmentJob.RECORDS_DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            // committed part files only: in-progress and pending ones start with a dot
            parts = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> runId == null || p.getFileName().toString().startsWith(runId))
                    .sorted()
                    .toList();
        }
        for (Path part : parts) {
            try (BufferedReader in = Files.newBufferedReader(part)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        action.accept(mapper.readValue(line, FrameRecord.class));
                    }
                }
            }
        }
    }

    /**
     * What became of one input, for the end-of-run lines: "N frames -> OUT", "FAILED: ERROR", or for an input that
     * never ended "stopped" (a cancelled job) or "did not finish".
     */
    public String outcome(String input) {
        FrameRecord end = outcomes.get(input);
        if (end == null) {
            return cancelled ? "stopped" : "did not finish";
        }
        return FrameRecord.KIND_COMPLETE.equals(end.kind)
                ? end.frames + " frames -> " + end.output
                : "FAILED: " + end.error;
    }

    /** Inputs converted whole. */
    public List<String> converted() {
        return outcomes.entrySet().stream()
                .filter(e -> e.getValue() != null && FrameRecord.KIND_COMPLETE.equals(e.getValue().kind))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Inputs that failed or never ended. */
    public List<String> failed() {
        return outcomes.entrySet().stream()
                .filter(e -> e.getValue() == null || !FrameRecord.KIND_COMPLETE.equals(e.getValue().kind))
                .map(Map.Entry::getKey)
                .toList();
    }
}

package dev.segment.flink;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameStats;
import java.util.List;
import java.util.Objects;

/**
 * One record of the job's stream: what happened to one output frame of one input ({@link #KIND_FRAME}, its
 * {@link FrameStats} as written by {@code segment convert --stats}), or how the input ended ({@link #KIND_COMPLETE}
 * with the frame count and the output video, {@link #KIND_FAILED} with the error). A Flink POJO (public fields,
 * no-argument constructor; {@link FrameStats} a record) so that Flink serializes it without Kryo, and a plain JSON
 * object for the JSON-lines files and Kafka: {@code {"kind":"frame","input":..,"output":..,"worker":0,"stats":{..}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FrameRecord {
    public static final String KIND_FRAME = "frame";
    public static final String KIND_COMPLETE = "complete";
    public static final String KIND_FAILED = "failed";

    /** frame, complete or failed. */
    public String kind;
    /** The input as given (a file path or a camera URL with its credentials redacted). */
    public String input;
    /** The output video (set on every record of an input that has one). */
    public String output;
    /** The Flink subtask index that ran the pipeline. */
    public int worker;
    /** The frame's statistics (frame records only); {@code stats.frame} is its 0-based output frame number. */
    public FrameStats stats;
    /** The number of frames written (complete records only). */
    public Long frames;
    /** What went wrong (failed records only). */
    public String error;

    public FrameRecord() {}

    /** A frame record from the pipeline's report, numbered {@code frame}. */
    public static FrameRecord frame(
            String input, String output, long frame, FrameReport report, List<String> classNames, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_FRAME;
        r.input = input;
        r.output = output;
        r.stats = FrameStats.of(report, frame, null, classNames);
        r.worker = worker;
        return r;
    }

    /** The last record of an input converted whole: {@code frames} frames written to {@code output}. */
    public static FrameRecord complete(String input, String output, long frames, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_COMPLETE;
        r.input = input;
        r.output = output;
        r.frames = frames;
        r.worker = worker;
        return r;
    }

    /** The last record of an input that could not be converted; no video is left under the output name. */
    public static FrameRecord failed(String input, String error, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_FAILED;
        r.input = input;
        r.error = error;
        r.worker = worker;
        return r;
    }

    /** Whether this is a frame record (not the end of an input). */
    public boolean describesFrame() {
        return KIND_FRAME.equals(kind);
    }

    @Override
    public String toString() {
        return kind + " " + input
                + (describesFrame()
                        ? " #" + stats.frame()
                        : KIND_COMPLETE.equals(kind) ? " (" + frames + " frames)" : ": " + error)
                + " worker " + worker;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameRecord r
                && worker == r.worker
                && Objects.equals(kind, r.kind)
                && Objects.equals(input, r.input)
                && Objects.equals(output, r.output)
                && Objects.equals(stats, r.stats)
                && Objects.equals(frames, r.frames)
                && Objects.equals(error, r.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, input, stats == null ? frames : stats.frame(), worker);
    }
}

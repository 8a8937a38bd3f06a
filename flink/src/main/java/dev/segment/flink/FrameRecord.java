package dev.segment.flink;

import dev.segment.engine.FrameReport;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the job's stream: what happened to one output frame of one input ({@link #KIND_FRAME}), or how the
 * input ended ({@link #KIND_COMPLETE} with the frame count and the output video, {@link #KIND_FAILED} with the
 * error). A Flink POJO (public fields, no-argument constructor) so that Flink serializes it without Kryo, and a plain
 * JSON object for the JSON-lines files.
 */
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
    /** 0-based output frame index; on a complete record the number of frames written; -1 on a failed record. */
    public long frame;

    public long ptsMicros;
    public int width;
    public int height;
    /** Share of the frame's pixels per class id (PASCAL VOC order, 21 classes). */
    public double[] classFractions;
    /** Whether the model ran on this frame (else its scores were carried from the last keyframe). */
    public boolean keyframe;
    /** Why the model ran or {@code carried} (see {@code KeyframeReason}). */
    public String keyframeReason;
    /** Median motion back to the keyframe in pixels; null when not measured. */
    public Double motionX;

    public Double motionY;
    /** Mean absolute luma error of the warped keyframe; null when not measured. */
    public Double residual;
    /** Share of the frame whose carried scores are not trusted (no source, or a poor warp); null when not measured. */
    public Double untrusted;
    /** Largest unexplained share of one 8x8 block of the frame; null when not measured. */
    public Double change;

    public int crfIterations;
    public boolean crfWarm;
    public double decodeMillis;
    public double inferMillis;
    public double propagateMillis;
    public double crfMillis;
    public double encodeMillis;
    public double latencyMillis;
    /** The Flink subtask index that ran the pipeline. */
    public int worker;
    /** What went wrong (failed records only). */
    public String error;

    public FrameRecord() {}

    /** A frame record from the pipeline's report; the report's arrays are copied. */
    public static FrameRecord frame(String input, String output, long frame, FrameReport report, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_FRAME;
        r.input = input;
        r.output = output;
        r.frame = frame;
        r.ptsMicros = report.ptsMicros();
        r.width = report.width();
        r.height = report.height();
        long pixels = Math.max(1, report.pixels());
        long[] counts = report.classPixels();
        r.classFractions = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            r.classFractions[i] = counts[i] / (double) pixels;
        }
        FrameReport.Keyframe k = report.keyframe();
        if (k != null) {
            r.keyframe = k.model();
            r.keyframeReason = k.keyframeReason().label();
            r.motionX = measured(k.motionX());
            r.motionY = measured(k.motionY());
            r.residual = measured(k.residual());
            r.untrusted = measured(k.untrusted());
            r.change = measured(k.change());
        } else {
            r.keyframe = true;
        }
        r.crfIterations = report.crfIterations();
        r.crfWarm = report.crfWarm();
        r.decodeMillis = report.stageMillis(FrameReport.Stage.DECODE);
        r.inferMillis = report.stageMillis(FrameReport.Stage.INFER);
        r.propagateMillis = report.stageMillis(FrameReport.Stage.PROPAGATE);
        r.crfMillis = report.stageMillis(FrameReport.Stage.CRF);
        r.encodeMillis = report.stageMillis(FrameReport.Stage.ENCODE);
        r.latencyMillis = report.latencyNanos() / 1e6;
        r.worker = worker;
        return r;
    }

    /** The last record of an input converted whole: {@code frames} frames written to {@code output}. */
    public static FrameRecord complete(String input, String output, long frames, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_COMPLETE;
        r.input = input;
        r.output = output;
        r.frame = frames;
        r.worker = worker;
        return r;
    }

    /** The last record of an input that could not be converted; no video is left under the output name. */
    public static FrameRecord failed(String input, String error, int worker) {
        FrameRecord r = new FrameRecord();
        r.kind = KIND_FAILED;
        r.input = input;
        r.frame = -1;
        r.error = error;
        r.worker = worker;
        return r;
    }

    private static Double measured(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Whether this is a frame record (not the end of an input). */
    public boolean describesFrame() {
        return KIND_FRAME.equals(kind);
    }

    @Override
    public String toString() {
        return kind + " " + input
                + (describesFrame()
                        ? " #" + frame
                        : KIND_COMPLETE.equals(kind) ? " (" + frame + " frames)" : ": " + error)
                + " worker " + worker;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameRecord r
                && frame == r.frame
                && worker == r.worker
                && Objects.equals(kind, r.kind)
                && Objects.equals(input, r.input)
                && Arrays.equals(classFractions, r.classFractions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, input, frame, worker);
    }
}

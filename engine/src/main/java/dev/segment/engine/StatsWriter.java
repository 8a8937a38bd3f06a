package dev.segment.engine;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Writes one JSON line per output frame:
 * {@code {"frame":0,"pts_ms":0.0,"fractions":{"person":0.31},"ms":{"decode":..,"infer":..,"crf":..,"encode":..},...}}.
 * {@code fractions} lists the classes present as fractions of the frame's pixels. {@code keyframe} says whether the
 * model's own scores were used, {@code keyframe_reason} why (or {@code carried}); {@code model_asked}, on every frame
 * that asked for the model, why it asked (a live frame may ask while its scores are carried, the model running beside
 * the stream); {@code photo}, for photos, the file the line is about; frames whose motion was measured add
 * {@code motion_px} (median motion back to the keyframe), {@code residual} (mean absolute luma error of the warp,
 * 0..255), {@code untrusted} (share of the frame without a trustworthy source) and {@code change} (largest share of one
 * 8x8 block that the warp does not explain). Each line is flushed as it is
 * written, so a killed run keeps the statistics of every frame written so far.
 */
public final class StatsWriter implements PipelineListener, AutoCloseable {
    private final Path path;
    private final BufferedWriter out;
    private final List<String> classNames;
    private final StringBuilder line = new StringBuilder(512);
    private final long firstFrame;
    private final LongFunction<String> photos;
    private boolean closed;

    /** Opens (truncates) {@code path}, making its directory if needed; frames numbered from 0. Errors name the path. */
    public StatsWriter(Path path, List<String> classNames) throws IOException {
        this(path, classNames, 0, null);
    }

    /**
     * As {@link #StatsWriter(Path, List)}, with {@code frame} the input's frame number when the output starts at input
     * frame {@code firstFrame}, and for photos ({@code photos} not null) the name of each frame's file.
     */
    public StatsWriter(Path path, List<String> classNames, long firstFrame, LongFunction<String> photos)
            throws IOException {
        this.path = path;
        this.classNames = List.copyOf(classNames);
        this.firstFrame = firstFrame;
        this.photos = photos;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent); // as for videos and images: a missing directory is made
            }
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write statistics file " + path + ": " + describe(e), e);
        }
    }

    @Override
    public synchronized void onFrame(FrameReport r) {
        if (closed) {
            return;
        }
        line.setLength(0);
        line.append("{\"frame\":").append(firstFrame + r.index());
        if (photos != null) {
            line.append(",\"photo\":");
            quote(photos.apply(r.index()));
        }
        line.append(",\"pts_ms\":").append(fmt(r.ptsMicros() / 1000.0, 3)).append(",\"fractions\":{");
        double pixels = r.pixels();
        boolean first = true;
        long[] counts = r.classPixels();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                continue;
            }
            if (!first) {
                line.append(',');
            }
            first = false;
            line.append('"')
                    .append(c < classNames.size() ? classNames.get(c) : "class" + c)
                    .append("\":")
                    .append(fmt(counts[c] / pixels, 6));
        }
        line.append("},\"ms\":{");
        FrameReport.Stage[] stages = FrameReport.Stage.values();
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append('"').append(stages[i].label()).append("\":").append(fmt(r.stageMillis(stages[i]), 3));
        }
        line.append("},\"latency_ms\":")
                .append(fmt(r.latencyNanos() / 1e6, 3))
                .append(",\"crf_iterations\":")
                .append(r.crfIterations())
                .append(",\"crf_warm\":")
                .append(r.crfWarm());
        if (r.crfWidth() > 0) {
            line.append(",\"crf_grid\":[")
                    .append(r.crfWidth())
                    .append(',')
                    .append(r.crfHeight())
                    .append(']');
        }
        FrameReport.Keyframe k = r.keyframe();
        line.append(",\"keyframe\":")
                .append(k.model())
                .append(",\"keyframe_reason\":\"")
                .append(k.keyframeReason().label())
                .append('"');
        if (k.askedForModel()) {
            line.append(",\"model_asked\":\"").append(k.reason().label()).append('"');
        }
        if (!Double.isNaN(k.residual())) {
            line.append(",\"motion_px\":[")
                    .append(fmt(k.motionX(), 2))
                    .append(',')
                    .append(fmt(k.motionY(), 2))
                    .append("],\"residual\":")
                    .append(fmt(k.residual(), 2))
                    .append(",\"untrusted\":")
                    .append(fmt(k.untrusted(), 4))
                    .append(",\"change\":")
                    .append(fmt(k.change(), 4));
        }
        line.append("}\n");
        try {
            out.append(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write statistics file " + path + ": " + describe(e), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
    }

    /** Appends {@code s} as a JSON string (Jackson's escaping). */
    private void quote(String s) {
        line.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, line);
        line.append('"');
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}

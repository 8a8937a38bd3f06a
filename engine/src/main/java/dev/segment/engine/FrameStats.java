package dev.segment.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.segment.codecs.VocPalette;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of one output frame, as one JSON object (Jackson, snake_case names in this order): a line of
 * {@code --stats} and the {@code stats} of a Flink frame record.
 * {@code {"frame":0,"pts_ms":0.000,"fractions":{"person":0.310000},"ms":{"decode":..,"infer":..,...},...}}.
 *
 * @param frame          the input's frame number (output index + the input frame the output starts at)
 * @param photo          for photos, the file the frame is; absent otherwise
 * @param ptsMs          presentation time, milliseconds
 * @param fractions      the classes present, as shares of the frame's pixels, in class id order
 * @param ms             time spent per {@link FrameReport.Stage}, by its label, in stage order
 * @param cpuMs          CPU time per stage, by its label, in stage order: each stage's own thread, and for
 *                       {@code infer} also TensorFlow's threads on a frame the model ran on in line (a live source's
 *                       model runs beside the stream: its CPU is in the run's summary, not on a frame)
 * @param latencyMs      capture to output
 * @param crfIterations  mean-field iterations (0 when the CRF is off)
 * @param crfWarm        whether the CRF started from the previous frame's state
 * @param crfGrid        width and height of the CRF's grid; absent when the CRF is off
 * @param keyframe       whether the model's own scores were used
 * @param keyframeReason why the model ran, or {@code carried}
 * @param modelAsked     on every frame that asked for the model, why (a live frame may ask while its scores are
 *                       carried, the model running beside the stream); absent otherwise
 * @param motionPx       median motion back to the keyframe, x and y in pixels; this and the three below are absent
 *                       when the frame's motion was not measured
 * @param residual       mean absolute luma error of the warp, 0..255
 * @param untrusted      share of the frame without a trustworthy source
 * @param change         largest share of one 8x8 block that the warp does not explain
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameStats(
        long frame,
        String photo,
        @JsonSerialize(using = Decimals3.class) double ptsMs,
        @JsonSerialize(contentUsing = Decimals6.class) Map<String, Double> fractions,
        @JsonSerialize(contentUsing = Decimals3.class) Map<String, Double> ms,
        @JsonSerialize(contentUsing = Decimals3.class) Map<String, Double> cpuMs,
        @JsonSerialize(using = Decimals3.class) double latencyMs,
        int crfIterations,
        boolean crfWarm,
        List<Integer> crfGrid,
        boolean keyframe,
        String keyframeReason,
        String modelAsked,
        @JsonSerialize(contentUsing = Decimals2.class) List<Double> motionPx,
        @JsonSerialize(using = Decimals2.class) Double residual,
        @JsonSerialize(using = Decimals4.class) Double untrusted,
        @JsonSerialize(using = Decimals4.class) Double change) {

    private static final List<String> STAGES = Arrays.stream(FrameReport.Stage.values())
            .map(FrameReport.Stage::label)
            .toList();

    /**
     * Keeps {@code fractions} in class id order and {@code ms} in stage order, however the maps arrive (Flink copies
     * maps into hash maps).
     */
    public FrameStats {
        fractions = inOrder(fractions, VocPalette.classNames());
        ms = inOrder(ms, STAGES);
        cpuMs = inOrder(cpuMs, STAGES);
        crfGrid = crfGrid == null ? null : List.copyOf(crfGrid);
        motionPx = motionPx == null ? null : List.copyOf(motionPx);
    }

    /**
     * The statistics of {@code r}, numbered {@code frame}; {@code photo} the photo's file or null; class {@code c}
     * named {@code classNames.get(c)} ({@code classC} beyond the list).
     */
    public static FrameStats of(FrameReport r, long frame, String photo, List<String> classNames) {
        double pixels = r.pixels();
        long[] counts = r.classPixels();
        Map<String, Double> fractions = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] != 0) {
                fractions.put(c < classNames.size() ? classNames.get(c) : "class" + c, counts[c] / pixels);
            }
        }
        Map<String, Double> ms = new LinkedHashMap<>();
        Map<String, Double> cpuMs = new LinkedHashMap<>();
        for (FrameReport.Stage s : FrameReport.Stage.values()) {
            ms.put(s.label(), r.stageMillis(s));
            cpuMs.put(s.label(), r.stageCpuMillis(s));
        }
        FrameReport.Keyframe k = r.keyframe();
        boolean measured = !Double.isNaN(k.residual());
        return new FrameStats(
                frame,
                photo,
                r.ptsMicros() / 1000.0,
                fractions,
                ms,
                cpuMs,
                r.latencyNanos() / 1e6,
                r.crfIterations(),
                r.crfWarm(),
                r.crfWidth() > 0 ? List.of(r.crfWidth(), r.crfHeight()) : null,
                k.model(),
                k.keyframeReason().label(),
                k.askedForModel() ? k.reason().label() : null,
                measured ? List.of(k.motionX(), k.motionY()) : null,
                measured ? k.residual() : null,
                measured ? k.untrusted() : null,
                measured ? k.change() : null);
    }

    /** The entries of {@code m} named in {@code order} first, in that order, then any others by name. */
    private static Map<String, Double> inOrder(Map<String, Double> m, List<String> order) {
        if (m == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : order) {
            Double v = m.get(name);
            if (v != null) {
                out.put(name, v);
            }
        }
        if (out.size() < m.size()) {
            new TreeMap<>(m).forEach(out::putIfAbsent);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes a number with a fixed count of decimals, as {@code String.format("%.Nf")}. */
    private abstract static class Decimals extends StdSerializer<Double> {
        private final String format;

        Decimals(int places) {
            super(Double.class);
            this.format = "%." + places + "f";
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(String.format(Locale.ROOT, format, value));
        }
    }

    static final class Decimals2 extends Decimals {
        Decimals2() {
            super(2);
        }
    }

    static final class Decimals3 extends Decimals {
        Decimals3() {
            super(3);
        }
    }

    static final class Decimals4 extends Decimals {
        Decimals4() {
            super(4);
        }
    }

    static final class Decimals6 extends Decimals {
        Decimals6() {
            super(6);
        }
    }
}

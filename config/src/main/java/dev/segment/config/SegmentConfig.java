package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The whole configuration of a segmentation pipeline. Immutable; every component is validated on construction.
 *
 * <p>Start from {@link #defaults()}, a file ({@link ConfigLoader}) or both, and change single fields with
 * {@link #withOverride(String, String, String)} or {@link ConfigOverrides}. Field paths are the dotted
 * component names, e.g. {@code crf.bilateral.srgb} (see {@link ConfigFields#paths()}).
 */
public record SegmentConfig(
        ModelConfig model,
        InferenceConfig inference,
        KeyframeConfig keyframes,
        CrfConfig crf,
        OverlayConfig overlay,
        OutputConfig output,
        PipelineConfig pipeline,
        SourceConfig source,
        ListenConfig listen) {
    public SegmentConfig {
        Check.notNull("model", model);
        Check.notNull("inference", inference);
        Check.notNull("keyframes", keyframes);
        Check.notNull("crf", crf);
        Check.notNull("overlay", overlay);
        Check.notNull("output", output);
        Check.notNull("pipeline", pipeline);
        Check.notNull("source", source);
        Check.notNull("listen", listen);
    }

    /** Every default value of the configuration, in one place. A file or override changes only what it names. */
    public static SegmentConfig defaults() {
        return new SegmentConfig(
                new ModelConfig(null),
                new InferenceConfig(false, 0),
                new KeyframeConfig(KeyframeMode.AUTO, 12, 12.0, 0.25, 0.3, 0.5, MotionModel.DENSE, 256, 0.45, 0.5),
                new CrfConfig(
                        false,
                        5,
                        1,
                        true,
                        new GaussianKernel(3.0, 3.0),
                        new BilateralKernel(50.0, 5.0, 4.0),
                        1.0,
                        192 * 108,
                        160 * 90,
                        0,
                        CrfBackend.AUTO,
                        0.5,
                        new TemporalKernel(2.0, 10.0),
                        32),
                new OverlayConfig(0.5, true, OverlayStyle.OUTLINE, false),
                new OutputConfig("libx264", 23, "veryfast", null, null, 0),
                new PipelineConfig(16, Backpressure.AUTO),
                new SourceConfig(
                        Transport.TCP, 10_000, 5_000, false, 0, -1, 0, new ReconnectConfig(-1, 500, 30_000, 0.2)),
                new ListenConfig("127.0.0.1", 0, 0));
    }

    /**
     * A copy with one field set from its text form, re-validated.
     *
     * @param fieldPath dotted path, e.g. {@code crf.iterations}
     * @param value text form: a number, {@code true}/{@code false}, an enum name such as {@code drop-oldest}, or a
     *     string; the empty string sets an optional field (such as {@code output.masksDir}) to null
     * @param origin where the value came from, used in errors, e.g. {@code --crf-iterations}
     * @throws ConfigException naming the origin, the field path, the value and what is allowed
     */
    public SegmentConfig withOverride(String fieldPath, String value, String origin) throws ConfigException {
        return new ConfigOverrides().set(fieldPath, value, origin).applyTo(this);
    }

    public SegmentConfig withModel(ModelConfig model) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withInference(InferenceConfig inference) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withKeyframes(KeyframeConfig keyframes) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withCrf(CrfConfig crf) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withOverlay(OverlayConfig overlay) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withOutput(OutputConfig output) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withPipeline(PipelineConfig pipeline) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withSource(SourceConfig source) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }

    public SegmentConfig withListen(ListenConfig listen) {
        return new SegmentConfig(model, inference, keyframes, crf, overlay, output, pipeline, source, listen);
    }
}

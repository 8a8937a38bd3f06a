package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigLoader;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every pipeline command shares: the config file, the model, and the flags that override one configuration
 * field each. Values stay text here: the config module parses and validates them, so a bad flag value gets the same
 * precise message (flag, field, value, what is allowed) as a bad file value.
 */
final class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "JSON or YAML configuration (see config/example.yaml).")
    Path configFile;

    @Option(
            names = "--model",
            paramLabel = "GRAPH.pb",
            description = "DeepLab frozen graph (model.path; default: "
                    + "$SEGMENT_MODEL or model.path in ~/.config/segment/config.yaml).")
    String model;

    @Option(names = "--alpha", paramLabel = "A", description = "Overlay opacity 0..1 (overlay.alpha, default 0.5).")
    String alpha;

    @Option(
            names = "--legend",
            paramLabel = "on|off",
            description = "Draw a legend of the classes present (overlay.legend, default on).")
    String legend;

    @Option(
            names = "--labels",
            paramLabel = "on|off",
            description = "Write the class name on every large segment (overlay.labels, default off).")
    String labels;

    @Option(
            names = "--overlay-style",
            paramLabel = "outline|blend",
            description = "outline: segments that show on any background, with contours; blend: the plain alpha"
                    + " blend (overlay.style, default outline).")
    String overlayStyle;

    @Option(
            names = "--keyframes",
            paramLabel = "auto|all",
            description = "auto: the model on keyframes, its scores carried along the motion to the frames between;"
                    + " all: the model on every frame (keyframes.mode, default auto).")
    String keyframes;

    @Option(
            names = "--keyframe-interval",
            paramLabel = "N",
            description = "Most frames from one keyframe to the next (keyframes.maxInterval).")
    String keyframeInterval;

    @Option(
            names = "--keyframe-motion",
            paramLabel = "dense|global",
            description = "Carry scores along a dense optical flow or one translation per frame (keyframes.motion).")
    String keyframeMotion;

    @Option(names = "--crf", paramLabel = "on|off", description = "DenseCRF refinement (crf.enabled, default off).")
    String crf;

    @Option(names = "--crf-iterations", paramLabel = "N", description = "Cold mean-field iterations (crf.iterations).")
    String crfIterations;

    @Option(
            names = "--crf-warm-iterations",
            paramLabel = "N",
            description = "Iterations on frames warm-started from the previous one (crf.warmIterations).")
    String crfWarmIterations;

    @Option(
            names = "--crf-scale",
            paramLabel = "S",
            description = "CRF resolution as a fraction of the frame (crf.scale).")
    String crfScale;

    @Option(
            names = "--crf-max-pixels",
            paramLabel = "N",
            description = "Most pixels the CRF refines per frame, larger frames at a smaller scale; 0 = no limit"
                    + " (crf.maxPixels, default 82944 = 384x216).")
    String crfMaxPixels;

    @Option(
            names = "--crf-min-pixels",
            paramLabel = "N",
            description = "Live sources: fewest pixels the CRF goes down to when it cannot keep up with the camera;"
                    + " 0 = always crf.maxPixels (crf.minPixels, default 36864 = 256x144).")
    String crfMinPixels;

    @Option(names = "--crf-threads", paramLabel = "T", description = "CRF threads, 0 = all cores (crf.threads).")
    String crfThreads;

    @Option(names = "--crf-backend", paramLabel = "auto|cpu|cuda", description = "CRF backend (crf.backend).")
    String crfBackend;

    @Option(
            names = "--unpadded",
            paramLabel = "on|off",
            description = "Feed the graph at the frame's aspect instead of the padded square (inference.unpadded).")
    String unpadded;

    @Option(names = "--inference-threads", paramLabel = "T", description = "TensorFlow threads, 0 = all cores.")
    String inferenceThreads;

    @Option(names = "--ring-size", paramLabel = "N", description = "Frames in the ring buffer, a power of 2.")
    String ringSize;

    @Option(
            names = "--video-quality",
            paramLabel = "Q",
            description = "x264 rate factor of the output video, 0..51, lower is better (output.quality, default 23).")
    String videoQuality;

    /**
     * The old spelling, kept working for existing scripts but hidden: next to {@code --crf} (the DenseCRF) an x264
     * "CRF" called {@code --quality} was confusing.
     */
    @Option(names = "--quality", hidden = true)
    String quality;

    @Option(names = "--preset", paramLabel = "NAME", description = "x264 preset (output.preset).")
    String preset;

    @Option(
            names = {"-y", "--overwrite"},
            description = "Replace output files that exist (they are refused" + " otherwise).")
    boolean overwrite;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    /** Where the user's defaults come from (the process's environment and home; tests give their own). */
    UserDefaults user = UserDefaults.ofProcess();

    /**
     * The file's configuration (or the defaults) with every given flag applied, validated once. {@code o} already
     * holds the calling command's own flags.
     */
    SegmentConfig load(ConfigOverrides o) throws ConfigException {
        return load(o, SegmentConfig.defaults());
    }

    /**
     * As {@link #load(ConfigOverrides)} over a command's own defaults: those, then the user's defaults
     * ({@link UserDefaults}: the user configuration file and {@value UserDefaults#MODEL_ENV}), then {@code --config},
     * then the flags.
     */
    SegmentConfig load(ConfigOverrides o, SegmentConfig commandDefaults) throws ConfigException {
        put(o, "model.path", model, "--model");
        put(o, "overlay.alpha", alpha, "--alpha");
        putOnOff(o, "overlay.legend", legend, "--legend");
        putOnOff(o, "overlay.labels", labels, "--labels");
        put(o, "overlay.style", overlayStyle, "--overlay-style");
        put(o, "keyframes.mode", keyframes, "--keyframes");
        put(o, "keyframes.maxInterval", keyframeInterval, "--keyframe-interval");
        put(o, "keyframes.motion", keyframeMotion, "--keyframe-motion");
        putOnOff(o, "crf.enabled", crf, "--crf");
        put(o, "crf.iterations", crfIterations, "--crf-iterations");
        put(o, "crf.warmIterations", crfWarmIterations, "--crf-warm-iterations");
        put(o, "crf.scale", crfScale, "--crf-scale");
        put(o, "crf.maxPixels", crfMaxPixels, "--crf-max-pixels");
        put(o, "crf.minPixels", crfMinPixels, "--crf-min-pixels");
        put(o, "crf.threads", crfThreads, "--crf-threads");
        put(o, "crf.backend", crfBackend, "--crf-backend");
        putOnOff(o, "inference.unpadded", unpadded, "--unpadded");
        put(o, "inference.threads", inferenceThreads, "--inference-threads");
        put(o, "pipeline.ringSize", ringSize, "--ring-size");
        put(o, "output.quality", quality, "--quality");
        put(o, "output.quality", videoQuality, "--video-quality");
        put(o, "output.preset", preset, "--preset");
        return ConfigLoader.load(user.apply(commandDefaults), configFile, o);
    }

    /** Fails with every way to give a model and where to get one when the configuration names none. */
    void requireModel(SegmentConfig config) throws ConfigException {
        Models.require(config, user.noModelMessage());
    }

    static void put(ConfigOverrides o, String path, String value, String flag) {
        if (value != null) {
            o.set(path, value, flag);
        }
    }

    /**
     * An on|off flag's value as the configuration's boolean: on and off (true and false also work, as in a file);
     * anything else is refused naming the flag, its field and "on or off".
     */
    static String onOff(String v, String flag, String path) throws ConfigException {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true" -> "true";
            case "off", "false" -> "false";
            default -> throw new ConfigException(flag, path, v, "must be on or off");
        };
    }

    static void putOnOff(ConfigOverrides o, String path, String value, String flag) throws ConfigException {
        if (value != null) {
            o.set(path, onOff(value, flag, path), flag);
        }
    }
}

package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigLoader;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
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

    /** The flags that set one configuration field each, common to every pipeline command. */
    @Mixin
    ConfigFlags fields = new ConfigFlags(
            ConfigFlag.MODEL,
            ConfigFlag.ALPHA,
            ConfigFlag.LEGEND,
            ConfigFlag.LABELS,
            ConfigFlag.OVERLAY_STYLE,
            ConfigFlag.KEYFRAMES,
            ConfigFlag.KEYFRAMES_BUDGET,
            ConfigFlag.KEYFRAMES_LIVE_DUTY,
            ConfigFlag.KEYFRAME_INTERVAL,
            ConfigFlag.KEYFRAME_MOTION,
            ConfigFlag.CRF,
            ConfigFlag.CRF_ITERATIONS,
            ConfigFlag.CRF_WARM_ITERATIONS,
            ConfigFlag.CRF_SCALE,
            ConfigFlag.CRF_MAX_PIXELS,
            ConfigFlag.CRF_MIN_PIXELS,
            ConfigFlag.CRF_THREADS,
            ConfigFlag.CRF_BACKEND,
            ConfigFlag.UNPADDED,
            ConfigFlag.INFERENCE_THREADS,
            ConfigFlag.RING_SIZE,
            ConfigFlag.QUALITY,
            ConfigFlag.VIDEO_QUALITY,
            ConfigFlag.PRESET);

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
        fields.putAll(o);
        return ConfigLoader.load(user.apply(commandDefaults), configFile, o);
    }

    /** Fails with every way to give a model and where to get one when the configuration names none. */
    void requireModel(SegmentConfig config) throws ConfigException {
        Models.require(config, user.noModelMessage());
    }
}

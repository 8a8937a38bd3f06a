package dev.segment.flink;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigLoader;
import dev.segment.config.SegmentConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every worker of a segmentation job needs: the configuration (a file and field overrides, as the CLI takes
 * them; the workers load it themselves, since {@link SegmentConfig} is not serializable), the output directory and
 * the job's own knobs. Immutable and serializable: it travels inside the job graph to the task managers, so the
 * config file, the model and the output directory must be at the same paths on every machine.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String configFile;
    private final LinkedHashMap<String, String> overrides;
    private final String outputDir;
    private final int queueCapacity;
    private final long windowMicros;
    private final Duration checkpointInterval;
    private final FrameHook hook;

    private JobSettings(String configFile, Map<String, String> overrides, String outputDir, int queueCapacity,
                        long windowMicros, Duration checkpointInterval, FrameHook hook) {
        this.configFile = configFile;
        this.overrides = new LinkedHashMap<>(overrides);
        this.outputDir = outputDir;
        this.queueCapacity = queueCapacity;
        this.windowMicros = windowMicros;
        this.checkpointInterval = checkpointInterval;
        this.hook = hook;
    }

    /**
     * Settings with the configuration of {@code configFile} (null: the defaults) and {@code overrides} (field path to
     * value, e.g. {@code model.path}, {@code crf.enabled}), videos written to {@code outputDir}.
     */
    public static JobSettings of(Path configFile, Map<String, String> overrides, Path outputDir) {
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(outputDir, "outputDir");
        return new JobSettings(configFile == null ? null : configFile.toAbsolutePath().toString(), overrides,
                outputDir.toAbsolutePath().normalize().toString(), 64, 60_000_000L, Duration.ofSeconds(5),
                FrameHook.NONE);
    }

    /** Frame records buffered between a pipeline and its Flink reader (default 64): the pipeline waits when full. */
    public JobSettings withQueueCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        return new JobSettings(configFile, overrides, outputDir, capacity, windowMicros, checkpointInterval, hook);
    }

    /** Length of the occupancy windows in stream time (default 60 s). */
    public JobSettings withWindow(Duration window) {
        if (window == null || window.toNanos() < 1000) {
            throw new IllegalArgumentException("window must be at least 1 microsecond, got " + window);
        }
        return new JobSettings(configFile, overrides, outputDir, queueCapacity, window.toNanos() / 1000,
                checkpointInterval, hook);
    }

    /** Checkpoint interval (default 5 s): records and occupancy files are committed at checkpoints. */
    public JobSettings withCheckpointInterval(Duration interval) {
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("checkpoint interval must be at least 10 ms, got " + interval);
        }
        return new JobSettings(configFile, overrides, outputDir, queueCapacity, windowMicros, interval, hook);
    }

    /** A hook called after every emitted frame record (tests inject failures with it). */
    public JobSettings withHook(FrameHook frameHook) {
        return new JobSettings(configFile, overrides, outputDir, queueCapacity, windowMicros, checkpointInterval,
                Objects.requireNonNull(frameHook, "hook"));
    }

    /** Loads and validates the configuration (on the client to fail early, and again on each worker). */
    public SegmentConfig loadConfig() throws ConfigException {
        SegmentConfig config = ConfigLoader.load(configFile == null ? null : Path.of(configFile), overrides);
        if (config.model().path() == null) {
            throw new ConfigException("--model", "model.path", null, "a DeepLab frozen graph is required (--model"
                    + " GRAPH.pb or model.path in --config)");
        }
        return config;
    }

    public Path outputDir() {
        return Path.of(outputDir);
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public long windowMicros() {
        return windowMicros;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public FrameHook hook() {
        return hook;
    }
}

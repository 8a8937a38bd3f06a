package dev.segment.flink;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigFormat;
import dev.segment.config.ConfigLoader;
import dev.segment.config.ConfigWriter;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What every worker of a segmentation job needs: the configuration (carried as its JSON text, since
 * {@link SegmentConfig} is not serializable, and read back by each worker), the output directory and the job's own
 * knobs. Immutable and serializable: it travels inside the job graph to the task managers, so the model and the
 * output directory must be at the same paths on every machine.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String configJson;
    private final String outputDir;
    private final int queueCapacity;
    private final long windowMicros;
    private final Duration checkpointInterval;
    private final FrameHook hook;
    private final KafkaTarget kafka;

    private JobSettings(
            String configJson,
            String outputDir,
            int queueCapacity,
            long windowMicros,
            Duration checkpointInterval,
            FrameHook hook,
            KafkaTarget kafka) {
        this.configJson = configJson;
        this.outputDir = outputDir;
        this.queueCapacity = queueCapacity;
        this.windowMicros = windowMicros;
        this.checkpointInterval = checkpointInterval;
        this.hook = hook;
        this.kafka = kafka;
    }

    /**
     * Settings with the configuration of {@code configFile} (null: the defaults) and {@code overrides} (field path to
     * value, e.g. {@code model.path}, {@code crf.enabled}), videos written to {@code outputDir}.
     */
    public static JobSettings of(Path configFile, Map<String, String> overrides, Path outputDir)
            throws ConfigException {
        Objects.requireNonNull(overrides, "overrides");
        return of(ConfigLoader.load(configFile, overrides), outputDir);
    }

    /** Settings with {@code config} (its model path is required), videos written to {@code outputDir}. */
    public static JobSettings of(SegmentConfig config, Path outputDir) throws ConfigException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(outputDir, "outputDir");
        Models.require(config, Models.NO_MODEL);
        return new JobSettings(
                ConfigWriter.toJson(config),
                outputDir.toAbsolutePath().normalize().toString(),
                64,
                60_000_000L,
                Duration.ofSeconds(5),
                FrameHook.NONE,
                null);
    }

    /** Frame records buffered between a pipeline and its Flink reader (default 64): the pipeline waits when full. */
    public JobSettings withQueueCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        return new JobSettings(configJson, outputDir, capacity, windowMicros, checkpointInterval, hook, kafka);
    }

    /** Length of the occupancy windows in stream time (default 60 s). */
    public JobSettings withWindow(Duration window) {
        if (window == null || window.toNanos() < 1000) {
            throw new IllegalArgumentException("window must be at least 1 microsecond, got " + window);
        }
        return new JobSettings(
                configJson, outputDir, queueCapacity, window.toNanos() / 1000, checkpointInterval, hook, kafka);
    }

    /**
     * Checkpoint interval (default 5 s): records and occupancy files are committed at checkpoints. A job submitted
     * to a cluster uses it only when the cluster has no checkpoint interval of its own (see
     * {@link SegmentJob#configure}).
     */
    public JobSettings withCheckpointInterval(Duration interval) {
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("checkpoint interval must be at least 10 ms, got " + interval);
        }
        return new JobSettings(configJson, outputDir, queueCapacity, windowMicros, interval, hook, kafka);
    }

    /** A hook called after every emitted frame record (tests inject failures with it). */
    public JobSettings withHook(FrameHook frameHook) {
        return new JobSettings(
                configJson,
                outputDir,
                queueCapacity,
                windowMicros,
                checkpointInterval,
                Objects.requireNonNull(frameHook, "hook"),
                kafka);
    }

    /**
     * Where the frame and per-input records go: {@code null} or {@code "files"} for JSON lines under
     * {@code OUTPUT/records/} (the default), or {@code kafka://HOST:PORT/TOPIC} for a Kafka topic, written exactly
     * once with the job's checkpoints (see {@link KafkaTarget}). The occupancy windows stay files.
     */
    public JobSettings withRecords(String target) {
        KafkaTarget k = target == null || target.equals("files") ? null : KafkaTarget.parse(target);
        return new JobSettings(configJson, outputDir, queueCapacity, windowMicros, checkpointInterval, hook, k);
    }

    /** The Kafka topic of the records, or null when they are written to files. */
    public KafkaTarget kafka() {
        return kafka;
    }

    /** The configuration, read back from its JSON text (on each worker). */
    public SegmentConfig loadConfig() throws ConfigException {
        SegmentConfig config = ConfigLoader.parse(configJson, ConfigFormat.JSON, "the job's configuration");
        Models.require(config, Models.NO_MODEL);
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

package dev.segment.flink;

import dev.segment.flink.internal.JsonLineEncoder;
import dev.segment.flink.internal.JsonValueSchema;
import dev.segment.flink.internal.Leftovers;
import dev.segment.flink.internal.OccupancyAggregator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.ExceptionUtils;

/**
 * The segmentation job: {@link SegmentSource} over the inputs, its records written as JSON lines to
 * {@code OUTPUT/records/} (or to a Kafka topic, see {@link JobSettings#withRecords}), and class occupancy per input and
 * window of stream time to {@code OUTPUT/occupancy/}, with Flink's {@link FileSink} (files committed at checkpoints)
 * and {@link KafkaSink} (transactions committed at checkpoints), so every record appears once even after a failure.
 * The videos are written by the workers to {@code OUTPUT/NAME.mp4}.
 *
 * <p>Use {@link #build} to add the job to an environment of your own (and build on its streams), or
 * {@link #runLocal} to run it on an embedded local cluster.
 */
public final class SegmentJob {
    /** Sub-directory of the output directory that receives the frame records. */
    public static final String RECORDS_DIR = "records";
    /** Sub-directory of the output directory that receives the occupancy windows. */
    public static final String OCCUPANCY_DIR = "occupancy";

    private SegmentJob() {}

    /** The job's two streams: one record per frame (and per input's end), and the occupancy windows. */
    public record Streams(DataStream<FrameRecord> records, DataStream<Occupancy> occupancy) {}

    /** Kafka transactions the job leaves open may last this long; brokers allow up to 15 minutes by default. */
    static final Duration KAFKA_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Adds the job to {@code env}: the source, the occupancy windows and the two JSON-lines file sinks whose part
     * files start with {@code runId} (so runs into one output directory stay apart), or for records a Kafka topic.
     * Call {@link #configure} too.
     */
    public static Streams build(
            StreamExecutionEnvironment env, List<String> inputs, JobSettings settings, String runId) {
        SegmentSource source = SegmentSource.of(inputs, settings, runId);
        DataStream<FrameRecord> records = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "segment", TypeInformation.of(FrameRecord.class))
                .uid("segment-source");
        if (settings.kafka() == null) {
            records.sinkTo(jsonLines(settings.outputDir().resolve(RECORDS_DIR), runId, new JsonLineEncoder<>()))
                    .name("records-json")
                    .uid("records-json");
        } else {
            records.sinkTo(kafka(settings.kafka(), runId)).name("records-kafka").uid("records-kafka");
        }
        DataStream<Occupancy> occupancy = records.keyBy(r -> r.input)
                .process(new OccupancyAggregator(settings.windowMicros()), TypeInformation.of(Occupancy.class))
                .name("occupancy")
                .uid("occupancy");
        occupancy
                .sinkTo(jsonLines(settings.outputDir().resolve(OCCUPANCY_DIR), runId, new JsonLineEncoder<>()))
                .name("occupancy-json")
                .uid("occupancy-json");
        return new Streams(records, occupancy);
    }

    /**
     * Checkpoints and restarts. The checkpoint interval the environment already has (a cluster's
     * {@code execution.checkpointing.interval}, or one the program set) is kept; without one the job checkpoints every
     * {@link JobSettings#checkpointInterval()}, since its sinks commit at checkpoints. {@code restarts} applies
     * unless it is {@link Restarts#CLUSTER}, which leaves the cluster's restart strategy as it is.
     */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings, Restarts restarts) {
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(settings.checkpointInterval().toMillis());
        }
        if (!restarts.keepsCluster()) {
            env.configure(restarts.toConfiguration());
        }
    }

    /** As {@link #configure(StreamExecutionEnvironment, JobSettings, Restarts)} with {@code restarts} fixed-delay. */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings, int restarts) {
        configure(env, settings, Restarts.fixedDelay(restarts));
    }

    /** A run id for part-file names: UTC time to the second. */
    public static String newRunId() {
        return "run-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
    }

    /**
     * Runs the job on an embedded local cluster with {@code parallelism} workers and waits for it (files end; a job
     * with cameras runs until it is cancelled). Returns what each input became, read back from the committed records.
     */
    public static JobReport runLocal(List<String> inputs, JobSettings settings, int parallelism) throws Exception {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        settings.loadConfig(); // a bad configuration fails here, on the client, naming the field
        Restarts restarts = Restarts.exponentialDelay();
        Configuration conf = restarts.toConfiguration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        configure(env, settings, restarts);
        String runId = newRunId();
        build(env, inputs, settings, runId);
        JobClient job = env.executeAsync("segment " + inputs.size() + " input(s)");
        // Ctrl-C or SIGTERM: cancel the job, so that workers stop their pipelines, finalize camera recordings and
        // delete unfinished videos, before the JVM exits.
        Thread hook = new Thread(
                () -> {
                    try {
                        job.cancel().get(60, TimeUnit.SECONDS);
                        job.getJobExecutionResult().handle((r, e) -> null).get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // exiting anyway
                    }
                },
                "segment-job-cancel-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        long runtime;
        boolean cancelled = false;
        boolean finished = false;
        try {
            JobExecutionResult result = job.getJobExecutionResult().get();
            runtime = result.getNetRuntime();
            finished = true;
        } catch (ExecutionException e) {
            if (!ExceptionUtils.findThrowable(e, JobCancellationException.class).isPresent()) {
                throw e;
            }
            runtime = -1;
            cancelled = true;
        } finally {
            removeLeftovers(settings.outputDir(), runId, finished);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        return JobReport.read(settings.outputDir(), runId, inputs, runtime, cancelled);
    }

    /**
     * Deletes what run {@code runId} left under hidden names once the job has ended: the temporary videos of its
     * workers (a worker killed with its task manager cannot delete its own; a restarted one deletes those of its own
     * input) and, when the job {@code finished}, the record and occupancy part files Flink's file sink left in
     * progress in attempts that failed (everything the finished job wrote is committed under visible names by
     * then). After a failed or cancelled job the sink's pending files are kept: they belong to its last checkpoint.
     * Returns the number of files deleted.
     */
    public static int removeLeftovers(Path outputDir, String runId, boolean finished) throws IOException {
        int removed = 0;
        removed +=
                Leftovers.remove(outputDir, n -> n.contains("." + runId + "-") && n.contains(".inprogress."), n -> {});
        if (finished) {
            for (String sub : List.of(RECORDS_DIR, OCCUPANCY_DIR)) {
                removed += Leftovers.remove(
                        outputDir.resolve(sub), n -> n.startsWith("." + runId) && n.contains(".inprogress."), n -> {});
            }
        }
        return removed;
    }

    private static KafkaSink<FrameRecord> kafka(KafkaTarget target, String runId) {
        Properties producer = new Properties();
        // Longer than a restart takes (transactions open at a failure are committed or aborted after it), within
        // the 15 minutes a broker allows by default (transaction.max.timeout.ms).
        producer.setProperty("transaction.timeout.ms", Long.toString(KAFKA_TRANSACTION_TIMEOUT.toMillis()));
        return KafkaSink.<FrameRecord>builder()
                .setBootstrapServers(target.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(KafkaRecordSerializationSchema.<FrameRecord>builder()
                        .setTopic(target.topic())
                        .setKeySerializationSchema((FrameRecord r) -> r.input.getBytes(StandardCharsets.UTF_8))
                        .setValueSerializationSchema(new JsonValueSchema<FrameRecord>())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("segment-" + runId)
                .build();
    }

    private static <T> FileSink<T> jsonLines(Path dir, String runId, Encoder<T> encoder) {
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(dir.toUri()), encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(runId)
                        .withPartSuffix(".jsonl")
                        .build())
                .build();
    }
}

package dev.segment.flink;

import dev.segment.flink.internal.JsonLineEncoder;
import dev.segment.flink.internal.OccupancyAggregator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The segmentation job: {@link SegmentSource} over the inputs, its records written as JSON lines to
 * {@code OUTPUT/records/}, and class occupancy per input and window of stream time to {@code OUTPUT/occupancy/},
 * both with Flink's {@link FileSink} (files committed at checkpoints, so every record appears once even after a
 * failure). The videos are written by the workers to {@code OUTPUT/NAME.mp4}.
 *
 * <p>Use {@link #build} to add the job to an environment of your own (and build on its streams), or
 * {@link #runLocal} to run it on an embedded local cluster.
 */
public final class SegmentJob {
    /** Sub-directory of the output directory that receives the frame records. */
    public static final String RECORDS_DIR = "records";
    /** Sub-directory of the output directory that receives the occupancy windows. */
    public static final String OCCUPANCY_DIR = "occupancy";

    private SegmentJob() {
    }

    /** The job's two streams: one record per frame (and per input's end), and the occupancy windows. */
    public record Streams(DataStream<FrameRecord> records, DataStream<Occupancy> occupancy) {
    }

    /**
     * Adds the job to {@code env}: the source, the occupancy windows and the two JSON-lines file sinks whose part
     * files start with {@code runId} (so runs into one output directory stay apart). Call {@link #configure} too.
     */
    public static Streams build(StreamExecutionEnvironment env, List<String> inputs, JobSettings settings,
                                String runId) {
        SegmentSource source = SegmentSource.of(inputs, settings);
        DataStream<FrameRecord> records = env.fromSource(source, WatermarkStrategy.noWatermarks(), "segment",
                TypeInformation.of(FrameRecord.class)).uid("segment-source");
        records.sinkTo(jsonLines(settings.outputDir().resolve(RECORDS_DIR), runId, new JsonLineEncoder<>()))
                .name("records-json").uid("records-json");
        DataStream<Occupancy> occupancy = records.keyBy(r -> r.input)
                .process(new OccupancyAggregator(settings.windowMicros()), TypeInformation.of(Occupancy.class))
                .name("occupancy").uid("occupancy");
        occupancy.sinkTo(jsonLines(settings.outputDir().resolve(OCCUPANCY_DIR), runId, new JsonLineEncoder<>()))
                .name("occupancy-json").uid("occupancy-json");
        return new Streams(records, occupancy);
    }

    /**
     * Checkpoints every {@link JobSettings#checkpointInterval()} (the file sinks commit at checkpoints) and a fixed
     * number of restarts: a worker that dies is restarted from the last checkpoint up to {@code restarts} times.
     */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings, int restarts) {
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        env.configure(restartConfig(restarts));
    }

    static Configuration restartConfig(int restarts) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return conf;
    }

    /** A run id for part-file names: UTC time to the second. */
    public static String newRunId() {
        return "run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
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
        Configuration conf = restartConfig(3);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        configure(env, settings, 3);
        String runId = newRunId();
        build(env, inputs, settings, runId);
        JobClient job = env.executeAsync("segment " + inputs.size() + " input(s)");
        // Ctrl-C or SIGTERM: cancel the job, so that workers stop their pipelines, finalize camera recordings and
        // delete unfinished videos, before the JVM exits.
        Thread hook = new Thread(() -> {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
                job.getJobExecutionResult().handle((r, e) -> null).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
        }, "segment-job-cancel-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        long runtime;
        boolean cancelled = false;
        try {
            JobExecutionResult result = job.getJobExecutionResult().get();
            runtime = result.getNetRuntime();
        } catch (ExecutionException e) {
            if (!ExceptionUtils.findThrowable(e, JobCancellationException.class).isPresent()) {
                throw e;
            }
            runtime = -1;
            cancelled = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        return JobReport.read(settings.outputDir(), runId, inputs, runtime, cancelled);
    }

    private static <T> FileSink<T> jsonLines(Path dir, String runId, Encoder<T> encoder) {
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(dir.toUri()), encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(runId).withPartSuffix(".jsonl")
                        .build())
                .build();
    }
}

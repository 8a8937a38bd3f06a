package dev.segment.flink;

import dev.segment.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point for {@code flink run} on a Flink cluster (the job jar's main class):
 * <pre>
 * flink run -c dev.segment.flink.SegmentJobMain segment-flink-job.jar --inputs LIST --model GRAPH.pb \
 *     --output-dir DIR [--parallelism N] [--crf on|off] [--keyframes auto|all] [--config FILE] [--window SECONDS]
 *     [--restarts cluster|exponential|N] [--checkpoint-interval SECONDS] [--records files|kafka://HOST:PORT/TOPIC]
 * </pre>
 * It takes the environment Flink gives it (the cluster's under {@code flink run}, an embedded one when started
 * with plain {@code java}). Paths must be valid on every task manager. On a cluster the job keeps the cluster's
 * restart strategy and checkpoint interval unless {@code --restarts} or {@code --checkpoint-interval} is given; on the
 * embedded cluster it restarts with {@link Restarts#exponentialDelay()}. When the job has ended (attached
 * submission), the hidden files it left are removed and what each input became is printed, one line per input.
 */
public final class SegmentJobMain {
    private SegmentJobMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String inputs = required(options, "--inputs");
        Path outputDir = Path.of(required(options, "--output-dir"));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("model.path", required(options, "--model"));
        if (options.containsKey("--crf")) {
            overrides.put(
                    "crf.enabled",
                    switch (options.get("--crf")) {
                        case "on", "true" -> "true";
                        case "off", "false" -> "false";
                        default ->
                            throw new IllegalArgumentException("--crf must be on or off, got " + options.get("--crf"));
                    });
        }
        if (options.containsKey("--keyframes")) {
            overrides.put("keyframes.mode", options.get("--keyframes"));
        }
        Path config = options.containsKey("--config") ? Path.of(options.get("--config")) : null;
        JobSettings settings;
        try {
            settings = JobSettings.of(config, overrides, outputDir);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (options.containsKey("--window")) {
            settings = settings.withWindow(
                    Duration.ofMillis(Math.round(Double.parseDouble(options.get("--window")) * 1000)));
        }
        if (options.containsKey("--records")) {
            settings = settings.withRecords(options.get("--records"));
        }
        List<String> list = InputList.expand(inputs);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (options.containsKey("--parallelism")) {
            env.setParallelism(Integer.parseInt(options.get("--parallelism")));
        }
        if (options.containsKey("--checkpoint-interval")) {
            double seconds = Double.parseDouble(options.get("--checkpoint-interval"));
            if (!(seconds >= 0.01)) {
                throw new IllegalArgumentException("--checkpoint-interval must be at least 0.01 seconds, got "
                        + options.get("--checkpoint-interval"));
            }
            env.enableCheckpointing(Math.round(seconds * 1000));
        }
        boolean embedded = env instanceof LocalStreamEnvironment;
        Restarts restarts = options.containsKey("--restarts")
                ? Restarts.parse(options.get("--restarts"))
                : embedded ? Restarts.exponentialDelay() : Restarts.CLUSTER;
        SegmentJob.configure(env, settings, restarts);
        String runId = SegmentJob.newRunId();
        SegmentJob.build(env, list, settings, runId);
        JobExecutionResult result;
        try {
            result = env.execute("segment " + list.size() + " input(s)");
        } catch (Exception e) {
            SegmentJob.removeLeftovers(settings.outputDir(), runId, false);
            throw e;
        }
        if (!result.isJobExecutionResult()) {
            return; // detached (flink run -d): the job goes on without this client
        }
        int removed = SegmentJob.removeLeftovers(settings.outputDir(), runId, true);
        if (removed > 0) {
            System.out.println("segment: removed " + removed + " hidden file(s) that failed attempts left behind");
        }
        if (settings.kafka() != null) {
            System.out.println("segment: records in " + settings.kafka());
            return;
        }
        JobReport report = JobReport.read(settings.outputDir(), runId, list, result.getNetRuntime(), false);
        for (String input : report.outcomes().keySet()) {
            System.out.println("segment: " + input + ": " + report.outcome(input));
        }
        System.out.println("segment: " + report.converted().size() + " of " + list.size() + " input(s) converted");
    }

    private static final List<String> OPTIONS = List.of(
            "--inputs",
            "--model",
            "--output-dir",
            "--parallelism",
            "--crf",
            "--keyframes",
            "--config",
            "--window",
            "--restarts",
            "--checkpoint-interval",
            "--records");

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!OPTIONS.contains(a) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "expected --option VALUE pairs, got \"" + a + "\"; options: " + String.join(" ", OPTIONS));
            }
            options.put(a, args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }
}

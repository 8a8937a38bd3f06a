package dev.segment.cli;

import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.flink.InputList;
import dev.segment.flink.JobReport;
import dev.segment.flink.JobSettings;
import dev.segment.flink.KafkaTarget;
import dev.segment.flink.SegmentJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segment job --inputs LIST --model GRAPH.pb --output-dir DIR [--parallelism N]}: many videos or cameras as
 * one Apache Flink job on an embedded local cluster. Each input becomes {@code DIR/NAME.mp4}; the frame records go to
 * {@code DIR/records/}, the class occupancy per window of stream time to {@code DIR/occupancy/}, both as JSON lines.
 * An input that cannot be converted is named and the others go on; the exit code is then {@link ExitCodes#INPUT_INVALID}.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Segment many videos or cameras as an Apache Flink job on an embedded local cluster.",
            "Writes DIR/NAME.mp4 per input, DIR/records/*.jsonl (one line per frame) and DIR/occupancy/*.jsonl."
        })
final class JobCommand implements Callable<Integer> {

    @Option(
            names = "--inputs",
            required = true,
            paramLabel = "LIST",
            description = "Comma-separated video files, directories, camera URLs, or a .txt/.list file of them.")
    String inputs;

    @Option(names = "--output-dir", required = true, paramLabel = "DIR", description = "Where videos and records go.")
    Path outputDir;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "1",
            description = "Workers (pipelines running at once), default ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--window",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Occupancy window in seconds of stream time, default ${DEFAULT-VALUE}.")
    double windowSeconds;

    @Option(
            names = "--records",
            paramLabel = "TARGET",
            defaultValue = "files",
            description = "Where the frame records go: files (DIR/records/, default) or kafka://HOST:PORT/TOPIC"
                    + " (exactly once, with the job's checkpoints).")
    String records;

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--parallelism must be at least 1, got " + parallelism);
        }
        if (!(windowSeconds > 0)) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--window must be a positive number of seconds, got " + windowSeconds);
        }
        if (!"files".equals(records)) {
            try { // checked before anything is loaded or made: a bad --records is a usage error
                KafkaTarget.parse(records);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
        }
        SegmentConfig config = common.load(new ConfigOverrides());
        common.requireModel(config);
        List<String> list = InputList.expand(inputs);
        Files.createDirectories(outputDir);
        JobSettings settings = JobSettings.of(config, outputDir)
                .withWindow(Duration.ofMillis(Math.round(windowSeconds * 1000)))
                .withRecords(records);
        PrintStream err = System.err;
        err.printf(
                Locale.ROOT,
                "segment: %d input(s) on %d worker(s), output in %s%n",
                list.size(),
                parallelism,
                settings.outputDir());
        // Loading the graph here checks it before any worker starts (a bad model exits 6, not after Flink's
        // restarts), and the workers of the embedded cluster then share this loaded graph through the cache.
        JobReport report;
        try (DeepLabModel model = Models.acquire(config, false)) {
            report = SegmentJob.runLocal(list, settings, parallelism);
        }
        if (settings.kafka() != null) {
            err.printf(
                    Locale.ROOT,
                    "segment: job %s; records of %d input(s) in %s%n",
                    report.cancelled() ? "cancelled" : "finished",
                    list.size(),
                    settings.kafka());
            return report.cancelled() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        }
        for (String input : report.outcomes().keySet()) {
            err.println("segment: " + input + ": " + report.outcome(input));
        }
        List<String> failed = report.failed();
        long frames =
                report.frames().values().stream().mapToLong(Long::longValue).sum();
        if (report.cancelled()) {
            err.printf(
                    Locale.ROOT,
                    "segment: job cancelled; %d of %d input(s) converted, %d frames recorded%n",
                    report.converted().size(),
                    list.size(),
                    frames);
            return ExitCodes.INTERRUPTED;
        }
        err.printf(
                Locale.ROOT,
                "segment: %d of %d input(s) converted, %d frames in %.1f s (%.2f fps)%n",
                report.converted().size(),
                list.size(),
                frames,
                report.runtimeMillis() / 1000.0,
                report.runtimeMillis() <= 0 ? 0.0 : frames * 1000.0 / report.runtimeMillis());
        return failed.isEmpty() ? ExitCodes.OK : ExitCodes.INPUT_INVALID;
    }
}

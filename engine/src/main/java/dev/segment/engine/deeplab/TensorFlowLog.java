package dev.segment.engine.deeplab;

import dev.segment.crf.NativeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's own console output for command-line use: errors only by default, TensorFlow's defaults when the user
 * asks for detail. TensorFlow's C++ code writes to the process's stderr, not through Java logging:
 * <ul>
 * <li>most of it (oneDNN and CPU-feature notices) reads its level once from the C environment
 * ({@code TF_CPP_MIN_LOG_LEVEL}), which the JDK cannot set, so {@link NativeProcess} sets it before TensorFlow loads;
 * <li>the graph optimizer logs through its own hidden copy of absl ("MLIR V1 optimization pass is not enabled", once
 * per process, after "All log messages before absl::InitializeLog() ..."), which no setting reaches: the first
 * session of the process runs a one-constant graph with stderr sent to a file, and those lines go to the SLF4J
 * logger {@code tensorflow} (errors and warnings at their level, notices at debug).
 * </ul>
 * Process-wide, so only an application (the CLI) calls {@link #configure}, before the first model loads; a user's
 * own {@code TF_CPP_MIN_LOG_LEVEL} is kept and their output left alone.
 */
public final class TensorFlowLog {
    private static final Logger LOG = LoggerFactory.getLogger("tensorflow");
    /** absl: "I0000 00:00:...", "W1202 ..."; TensorFlow: "2026-12-02 06:54:22.571356: I tensorflow/...". */
    private static final Pattern SEVERITY = Pattern.compile("^(?:[0-9-]+ [0-9:.]+: )?([IWEF])[0-9 ]");

    private static volatile boolean quiet;
    private static boolean primed;

    private TensorFlowLog() {}

    /**
     * Call before TensorFlow loads. {@code verbose} false: only TensorFlow's errors reach stderr; true: TensorFlow's
     * defaults.
     */
    public static void configure(boolean verbose) {
        quiet = !verbose;
        if (!verbose) {
            NativeProcess.setenvIfUnset("TF_CPP_MIN_LOG_LEVEL", "2");
        }
    }

    /**
     * Runs the process's first TensorFlow session, before any model's: it starts TensorFlow's process-wide thread
     * pools, sized by {@code config}. When quiet, the one-time lines TensorFlow prints then go to the log.
     */
    public static synchronized void startUp(ConfigProto config) {
        if (primed) {
            return;
        }
        primed = true;
        if (!quiet || System.getenv("TF_CPP_MIN_LOG_LEVEL") != null) {
            // verbose, or the user chose TensorFlow's level (the JVM's copy of the environment)
            runFirstSession(config);
            return;
        }
        try {
            Path captured = Files.createTempFile("segment-tensorflow", ".log");
            try {
                NativeProcess.withStderrTo(captured, () -> runFirstSession(config));
                for (String line : Files.readAllLines(captured)) {
                    log(line);
                }
            } finally {
                Files.deleteIfExists(captured);
            }
        } catch (IOException e) {
            LOG.debug("TensorFlow's start-up output not captured: {}", e.toString());
        }
    }

    private static volatile boolean firstRunDone;

    /**
     * Runs a model's session run; the first of the process runs with stderr sent to a file whose lines go to the log,
     * like the start-up session of {@link #startUp}: TensorFlow's graph optimizer prints its one-time
     * absl/MLIR lines on the first run of a real graph whenever the one-constant graph did not make it print them
     * (seen in CI: they reached the terminal of a quiet run).
     */
    public static <T> T firstRun(java.util.function.Supplier<T> run) {
        if (firstRunDone || !quiet || System.getenv("TF_CPP_MIN_LOG_LEVEL") != null) {
            return run.get();
        }
        synchronized (TensorFlowLog.class) {
            if (firstRunDone) {
                return run.get();
            }
            firstRunDone = true;
            Object[] result = new Object[1];
            try {
                Path captured = Files.createTempFile("segment-tensorflow", ".log");
                try {
                    NativeProcess.withStderrTo(captured, () -> result[0] = run.get());
                    for (String line : Files.readAllLines(captured)) {
                        log(line);
                    }
                } finally {
                    Files.deleteIfExists(captured);
                }
            } catch (IOException e) {
                LOG.debug("TensorFlow's first-run output not captured: {}", e.toString());
                if (result[0] == null) {
                    return run.get();
                }
            }
            @SuppressWarnings("unchecked")
            T value = (T) result[0];
            return value;
        }
    }

    private static void runFirstSession(ConfigProto config) {
        try (Graph graph = new Graph();
                Session session = new Session(graph, config)) {
            Ops tf = Ops.create(graph);
            try (Result ignored = session.runner().fetch(tf.constant(1)).run()) {
                // the graph optimizer has run once
            }
        }
    }

    private static void log(String line) {
        if (line.isBlank()) {
            return;
        }
        Matcher m = SEVERITY.matcher(line);
        char severity = m.find() ? m.group(1).charAt(0) : 'I';
        if (severity == 'E' || severity == 'F') {
            LOG.error(line);
        } else if (severity == 'W' && !line.startsWith("WARNING: All log messages before absl::InitializeLog()")) {
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
    }
}

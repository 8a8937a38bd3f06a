package dev.segment.cli.support;

import dev.segment.cli.Main;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.engine.deeplab.ModelException;
import dev.segment.testing.Shared;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code segment ...} in this JVM through {@link Main#run}, with System.out and System.err captured, and checks
 * afterwards that the run left no pipeline thread behind.
 */
public final class Segment {
    private Segment() {}

    /** Exit code and what the command printed. */
    public record Result(int exitCode, String out, String err) {
        /** The lines starting with "segment:" (the command's own messages, not FFmpeg's or TensorFlow's logs). */
        public List<String> messages() {
            return err.lines().filter(l -> l.startsWith("segment:")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /**
     * Runs the command line. Not thread-safe (swaps the process's standard streams): tests that use it must not run
     * concurrently, which is JUnit's default.
     */
    public static synchronized Result run(String... args) throws InterruptedException {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldErr.print(r.err());
        List<String> left = pipelineThreads(5, TimeUnit.SECONDS);
        if (!left.isEmpty()) {
            throw new AssertionError("threads left running after segment " + String.join(" ", args) + ": " + left);
        }
        return r;
    }

    /** A handle on the shared model, so that the runs of a test class load the graph once. Close it after them. */
    public static DeepLabModel holdModel() throws ModelException {
        return ModelCache.processWide().acquire(Shared.model(), 0);
    }

    /** Live threads of a pipeline ("segment-..." names), after waiting up to {@code timeout} for them to end. */
    static List<String> pipelineThreads(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            List<String> names = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith("segment-")) {
                    names.add(t.getName());
                }
            }
            if (names.isEmpty() || System.nanoTime() > deadline) {
                return names;
            }
            Thread.sleep(50);
        }
    }
}

package dev.segment.cli.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code segment ...} in a child JVM ({@code java -cp <test classpath> dev.segment.cli.Main ...}, an argument list,
 * no shell) for what an in-process run cannot show: signals, SIGKILL, a file-size limit ({@code prlimit}), the heap
 * the JVM picks by default. Standard error goes to a file so that the test can wait for progress.
 */
public final class ChildSegment implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private ChildSegment(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /**
     * Starts {@code prefix... java [jvmOptions...] -cp CLASSPATH dev.segment.cli.Main args...}.
     *
     * @param prefix a wrapper such as {@code prlimit --fsize=N}, or empty
     * @param stderr where the child's standard error (and output) go
     */
    public static ChildSegment start(List<String> prefix, List<String> jvmOptions, Path stderr, String... args)
            throws IOException {
        return start(prefix, jvmOptions, java.util.Map.of(), stderr, args);
    }

    /**
     * As above with changes to the environment: a null value removes the variable (e.g. {@code DISPLAY}). The
     * child's standard input is a pipe the test writes with {@link #stdin()}.
     */
    public static ChildSegment start(
            List<String> prefix,
            List<String> jvmOptions,
            java.util.Map<String, String> environment,
            Path stderr,
            String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add("dev.segment.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(stderr.toFile()));
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process p = builder.start();
        return new ChildSegment(p, stderr);
    }

    /**
     * The test classpath, with the project's own jars and class folders copied once to a private folder: a child JVM
     * loads classes lazily, and a {@code mvn install} of a sibling module while a test runs (several builds share one
     * working tree and local repository on the development machines) would otherwise swap the jar under it.
     */
    static synchronized String classpath() throws IOException {
        if (snapshot == null) {
            String cp = System.getProperty("surefire.test.class.path");
            if (cp == null || cp.isBlank()) {
                cp = System.getProperty("java.class.path");
            }
            Path dir = Files.createTempDirectory("segment-child-classpath");
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : cp.split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                boolean ours = entry.contains("/dev/segment/") || entry.endsWith("/target/classes");
                if (!ours || entry.endsWith("test-classes") || !Files.exists(p)) {
                    entries.add(entry);
                    continue;
                }
                Path copy = dir.resolve((n++) + "-" + p.getFileName());
                copyTree(p, copy);
                entries.add(copy.toString());
            }
            snapshot = String.join(java.io.File.pathSeparator, entries);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-child-classpath"));
        }
        return snapshot;
    }

    private static String snapshot;

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    /** The child's standard input (a pipe); close it to signal the end of the input. */
    public java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by number with /bin/kill (argument list). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /**
     * True when the child ignores {@code SIGINT} (it inherits SIG_IGN when the build runs in a background job of a
     * non-interactive shell; the JVM then installs no handler). Read from /proc/PID/status, bit 2 of SigIgn.
     */
    public boolean ignoresSigint() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                return (mask & (1L << 1)) != 0;
            }
        }
        return false;
    }

    /** Waits until the child has ended; kills it and fails if it takes longer than {@code seconds}. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("child segment did not end within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}

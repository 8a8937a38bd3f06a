package dev.segment.flinkcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes a test starts, each with its output in a log file: all of them (and their children) are stopped by
 * {@link #stopAll()}, which the tests call in their clean-up and a JVM shutdown hook calls too, so none outlives a
 * failed or interrupted test run.
 */
final class Processes {
    private static final List<Process> STARTED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "stop-test-processes"));
    }

    private Processes() {}

    /** Starts {@code command} with {@code env} added, its stdout and stderr appended to {@code log}. */
    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        synchronized (STARTED) {
            Process p = pb.start();
            STARTED.add(p);
            return p;
        }
    }

    /** SIGKILL for {@code p} and its children, as a machine that dies would. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Asks every started process to stop (SIGTERM), waits up to 10 s, then kills what is left. */
    static void stopAll() {
        List<Process> all;
        synchronized (STARTED) {
            all = new ArrayList<>(STARTED);
            STARTED.clear();
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Process p : all) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code command} to its end and returns its output; fails on a non-zero exit. */
    static String run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        synchronized (STARTED) {
            STARTED.add(p);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end in " + timeoutSeconds + " s");
        }
        synchronized (STARTED) {
            STARTED.remove(p);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** The last {@code lines} lines of a log, for a failure message. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log " + log + ": " + e + ")";
        }
    }
}

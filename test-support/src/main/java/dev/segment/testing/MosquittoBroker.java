package dev.segment.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Mosquitto MQTT broker (Debian package mosquitto) as a child process on 127.0.0.1, anonymous access allowed, with
 * its configuration and database in a temporary directory. It can be killed and restarted on the same port, as a broker
 * that crashes; {@link #save()} writes its database first, so that persistent sessions (a subscriber's
 * subscriptions and its queued messages) survive the kill. {@link #close()} kills it and deletes the directory.
 */
public final class MosquittoBroker implements AutoCloseable {
    private final Path program;
    private final int port;
    private final Path dir;
    private final Path config;
    private ChildProcess child;

    private MosquittoBroker(Path program, int port) throws IOException {
        this.program = program;
        this.port = port;
        this.dir = Files.createTempDirectory("segment-mosquitto-");
        this.config = dir.resolve("mosquitto.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence true",
                        "persistence_location " + dir + "/",
                        // mosquitto drops root privileges to this user: the one running the test can read the files.
                        "user " + System.getProperty("user.name"),
                        "log_dest stderr",
                        ""),
                StandardCharsets.UTF_8);
    }

    /** A broker on a free port, running; skips the test (fails it in CI) when mosquitto is not installed. */
    public static MosquittoBroker start() throws IOException, InterruptedException {
        MosquittoBroker b = notStarted();
        try {
            b.restart();
        } catch (IOException | InterruptedException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * A broker with its port chosen but not running yet: {@link #restart()} starts it. For clients that must cope with a
     * broker that is down when they start. The port is below the kernel's ephemeral range (see {@link Ports#closed()}),
     * so a client that keeps trying it cannot connect to itself.
     */
    public static MosquittoBroker notStarted() throws IOException {
        return new MosquittoBroker(requireMosquitto(), Ports.closed());
    }

    /** Starts the broker again on the same port with the same database; waits until the port accepts. */
    public void restart() throws IOException, InterruptedException {
        if (child != null && child.isAlive()) {
            throw new IllegalStateException("mosquitto still running on port " + port);
        }
        if (child != null) {
            child.close(); // the killed one: deletes its log
        }
        ChildProcess c = ChildProcess.start(List.of(program.toString(), "-c", config.toString()));
        child = c;
        try {
            c.awaitPort(port, Duration.ofSeconds(10));
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Kills the broker (SIGKILL), as a crash would: nothing is saved. */
    public void stop() throws InterruptedException {
        if (child != null) {
            child.kill();
        }
    }

    /**
     * Writes the broker's database (SIGUSR1) and waits until it is on disk: persistent sessions and retained messages
     * made so far survive a {@link #stop()}.
     */
    public void save() throws IOException, InterruptedException {
        if (child == null || !child.isAlive()) {
            throw new IllegalStateException("mosquitto is not running on port " + port);
        }
        Path db = dir.resolve("mosquitto.db");
        FileTime before = Files.exists(db) ? Files.getLastModifiedTime(db) : null;
        Process signal = new ProcessBuilder("kill", "-USR1", Long.toString(child.pid()))
                .redirectErrorStream(true)
                .start();
        String output = new String(signal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (signal.waitFor() != 0) {
            throw new IOException("kill -USR1 " + child.pid() + " failed: " + output);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(db)
                    && (before == null || Files.getLastModifiedTime(db).compareTo(before) > 0)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("mosquitto did not write " + db + " within 10 s of SIGUSR1\n" + log());
    }

    public boolean isRunning() {
        return child != null && child.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** What the broker printed (connections, errors) since its last start. */
    public String log() {
        return child == null ? "" : child.log();
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private static Path requireMosquitto() {
        Path sbin = Path.of("/usr/sbin/mosquitto");
        if (Files.isExecutable(sbin)) {
            return sbin; // Debian installs it in /usr/sbin, which is not on every user's PATH
        }
        return SystemTools.requireProgram("mosquitto", "mosquitto");
    }
}

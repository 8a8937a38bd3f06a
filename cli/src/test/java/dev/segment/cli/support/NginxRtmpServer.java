package dev.segment.cli.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real RTMP ingest server for tests: Debian's nginx with libnginx-mod-rtmp (the module streaming platforms run),
 * on loopback at a free port, from a generated configuration in a temporary directory, in the foreground (daemon
 * off, one process) so that {@link #kill()} stops it at once. Streams published to {@code /live/KEY} are relayed to
 * players of the same URL.
 */
public final class NginxRtmpServer implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Process process;
    private final int port;
    private final Path log;

    private NginxRtmpServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** True when nginx and its RTMP module are installed (Debian packages nginx and libnginx-mod-rtmp). */
    public static boolean available() {
        return Files.isExecutable(NGINX) && Files.isRegularFile(MODULE);
    }

    /** Starts the server in {@code dir} on a free port and waits until it accepts connections. */
    public static NginxRtmpServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return start(dir, port);
    }

    /** A server on the port of one that was killed: the ingest coming back. */
    public NginxRtmpServer restart(Path dir) throws IOException, InterruptedException {
        return start(dir, port);
    }

    private static NginxRtmpServer start(Path dir, int port) throws IOException, InterruptedException {
        Path conf = dir.resolve("nginx.conf");
        Path log = dir.resolve("error.log");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "load_module " + MODULE + ";",
                        "daemon off;",
                        "master_process off;",
                        "worker_processes 1;",
                        "pid " + dir.resolve("nginx.pid") + ";",
                        "error_log " + log + " info;",
                        "events { worker_connections 64; }",
                        "rtmp {",
                        "  server {",
                        "    listen 127.0.0.1:" + port + ";",
                        "    application live { live on; record off; }",
                        "  }",
                        "}",
                        ""));
        Process p = new ProcessBuilder(
                        NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(), "-e", log.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        NginxRtmpServer server = new NginxRtmpServer(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("nginx exited with " + p.exitValue() + ": " + server.log());
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return server;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IOException("nginx did not listen on " + port + " within 20 s: " + server.log());
    }

    /** The URL to publish to and play from for {@code key}. */
    public String url(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    /** SIGKILL: the server vanishes mid-stream, as a crashed ingest would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

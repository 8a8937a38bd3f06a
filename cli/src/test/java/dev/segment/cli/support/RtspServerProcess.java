package dev.segment.cli.support;

import dev.segment.codecs.support.SystemTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * testing/rtsp_server.py (GstRtspServer) as a child process on 127.0.0.1, restartable on the same port. A lean copy of
 * the codecs tests' RtspTestServer (test classes do not cross modules).
 */
public final class RtspServerProcess implements AutoCloseable {
    private final int port;
    private final List<String> args;
    private final Path log;
    private Process process;

    public RtspServerProcess(List<String> scriptArgs) throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        args = List.copyOf(scriptArgs);
        log = Files.createTempFile("rtsp-server-", ".log");
        start();
    }

    /** What testing/rtsp_server.py needs: GstRtspServer for Python and the plugins that encode the clips. */
    public static final String PACKAGES = "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp python3-gi"
            + " gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
            + " gstreamer1.0-plugins-ugly gstreamer1.0-libav";

    /** Skips the test (fails it under {@link SystemTools#SWITCH}) when the GStreamer RTSP server is missing. */
    public static void assumeAvailable() {
        SystemTools.require(available(), "the GStreamer RTSP server for Python (GstRtspServer)", PACKAGES);
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder(
                            "/usr/bin/python3",
                            "-c",
                            "import gi; gi.require_version('GstRtspServer',"
                                    + "'1.0'); from gi.repository import GstRtspServer")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void start() throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("/usr/bin/python3", script().toString(), "--port", Integer.toString(port)));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.readString(log).contains("READY")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    // retry
                }
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException("RTSP test server did not start: " + Files.readString(log));
    }

    /** SIGKILL, as a camera losing power. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/stream";
    }

    private static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("testing/rtsp_server.py"))) {
                return p.resolve("testing/rtsp_server.py");
            }
        }
        throw new IllegalStateException("testing/rtsp_server.py not found");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }
}

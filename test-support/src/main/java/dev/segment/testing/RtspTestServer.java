package dev.segment.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * testing/rtsp_server.py (GstRtspServer) as a child process on 127.0.0.1: serves a clip as a camera would
 * (real-time, H.264, key frame every second) at {@link #url()}, and optionally records what is pushed to
 * {@link #pushUrl()}. Can be killed and restarted on the same port to play a camera that reboots.
 */
public final class RtspTestServer implements AutoCloseable {
    private final int port;
    private final List<String> args;
    private ChildProcess child;

    private RtspTestServer(int port, List<String> args) {
        this.port = port;
        this.args = List.copyOf(args);
    }

    /** Serves {@code video} at {@code fps} (re-encoded), optionally scaled; waits until the port answers. */
    public static RtspTestServer serving(Path video, int fps, int width, int height)
            throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("--file", video.toString(), "--fps", Integer.toString(fps)));
        if (width > 0) {
            a.addAll(List.of("--width", Integer.toString(width), "--height", Integer.toString(height)));
        }
        return start(Ports.free(), a);
    }

    /** Accepts what clients publish at {@link #pushUrl()} into {@code recording} (MPEG-TS). */
    public static RtspTestServer recording(Path recording) throws IOException, InterruptedException {
        return start(Ports.free(), List.of("--record", recording.toString()));
    }

    /** A server with explicit script arguments (besides --port) on {@code port}. */
    public static RtspTestServer start(int port, List<String> scriptArgs) throws IOException, InterruptedException {
        RtspTestServer s = new RtspTestServer(port, scriptArgs);
        s.restart();
        return s;
    }

    /** (Re)starts the server process on the same port, with the same or other arguments. */
    public void restart() throws IOException, InterruptedException {
        restartWith(args);
    }

    public void restartWith(List<String> scriptArgs) throws IOException, InterruptedException {
        if (child != null && child.isAlive()) {
            throw new IllegalStateException("server still running on " + port);
        }
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/python3",
                Shared.repoRoot().resolve("testing/rtsp_server.py").toString(),
                "--port",
                Integer.toString(port)));
        cmd.addAll(scriptArgs);
        ChildProcess c = ChildProcess.start(cmd);
        child = c;
        try {
            c.awaitLog("READY", Duration.ofSeconds(20));
            c.awaitPort(port, Duration.ofSeconds(10));
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Kills the server (SIGKILL) as a camera losing power. */
    public void kill() throws InterruptedException {
        if (child != null) {
            child.kill();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/stream";
    }

    public String pushUrl() {
        return "rtsp://127.0.0.1:" + port + "/push";
    }

    public String log() {
        return child == null ? "" : child.log();
    }

    /** What testing/rtsp_server.py needs: GstRtspServer for Python and the plugins that encode the clips. */
    public static final String PACKAGES = "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp python3-gi"
            + " gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
            + " gstreamer1.0-plugins-ugly gstreamer1.0-libav";

    /** Skips the test (fails it under {@link SystemTools#SWITCH}) when the GStreamer RTSP server is missing. */
    public static void assumeAvailable() {
        SystemTools.require(available(), "the GStreamer RTSP server for Python (GstRtspServer)", PACKAGES);
    }

    /** True when GstRtspServer can run here (python3-gi with GstRtspServer 1.0 installed). */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder(
                            "/usr/bin/python3",
                            "-c",
                            "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import GstRtspServer")
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

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
    }
}

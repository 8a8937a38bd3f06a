package dev.segment.codecs.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.live.support.SilentServer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A dead, silent or nonsensical camera never hangs the reading thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveSourceTimeoutTest {
    private static final LiveOptions FAST = LiveOptions.DEFAULT.withTimeouts(1500, 1000)
            .withReconnect(ReconnectPolicy.NEVER);

    @Test
    void silentRtspServerFailsOpenWithinTheOpenTimeout() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            String url = "rtsp://viewer:topsecret@127.0.0.1:" + server.port() + "/stream";
            FfmpegLiveSource src = new FfmpegLiveSource(SourceSpec.parse(url, FAST), FAST);
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, src::open);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            src.close();
            assertTrue(ms >= 900 && ms < 4000, "open should fail after about the timeout, took " + ms + " ms: " + e);
            assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
            assertTrue(server.connections() >= 1, "FFmpeg should have connected");
            assertWorkerEnds(src);
        }
    }

    @Test
    void garbageOnThePortFailsOpenWithoutHanging() throws Exception {
        try (SilentServer server = SilentServer.garbage()) {
            FfmpegLiveSource src = new FfmpegLiveSource(
                    SourceSpec.parse("rtsp://127.0.0.1:" + server.port() + "/x", FAST), FAST);
            long t0 = System.nanoTime();
            assertThrows(IOException.class, src::open);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            src.close();
            assertTrue(ms < 4000, "took " + ms + " ms");
            // The abandoned FFmpeg call itself only ends when the garbage stops (there is no interrupt callback in
            // JavaCV's grabber): what matters is that the caller is free.
        }
    }

    @Test
    void nothingListeningFailsFast() throws Exception {
        int port;
        try (SilentServer s = SilentServer.silent()) {
            port = s.port();
        }
        FfmpegLiveSource src = new FfmpegLiveSource(SourceSpec.parse("rtsp://127.0.0.1:" + port + "/x", FAST), FAST);
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, src::open);
        assertFalse(e instanceof SourceTimeoutException, "connection refused is not a timeout: " + e);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1500);
        src.close();
    }

    @Test
    void closeFromAnotherThreadUnblocksAPendingOpen() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            LiveOptions slow = FAST.withTimeouts(30_000, 30_000);
            FfmpegLiveSource src = new FfmpegLiveSource(
                    SourceSpec.parse("rtsp://127.0.0.1:" + server.port() + "/x", slow), slow);
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                src.close();
            });
            closer.start();
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, src::open);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            closer.join();
            assertTrue(ms < 3000, "close should end open() at once, took " + ms + " ms: " + e);
            assertFalse(e instanceof SourceTimeoutException);
        }
    }

    @Test
    void reconnectingSourceGivesUpAfterConfiguredAttemptsAndCountsThem() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            LiveOptions o = FAST.withTimeouts(500, 500).withReconnect(new ReconnectPolicy(2, 50, 100, 0));
            CountingListener events = new CountingListener();
            ReconnectingSource src = (ReconnectingSource) Sources.create(
                    "rtsp://u:pw9@127.0.0.1:" + server.port() + "/x", o, events);
            IOException e = assertThrows(IOException.class, src::open);
            assertTrue(e.getMessage().contains("giving up"), e.getMessage());
            assertFalse(e.getMessage().contains("pw9"), e.getMessage());
            assertTrue(src.attempts() == 3, "1 try + 2 retries, got " + src.attempts());
            assertTrue(events.attempts.get() == 2 && events.disconnects.get() == 3, events.toString());
            assertInstanceOf(IOException.class, assertThrows(IOException.class, () -> src.read(new VideoFrame(1, 1))));
            src.close();
        }
    }

    static void assertWorkerEnds(FfmpegLiveSource src) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (src.workerAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(src.workerAlive(), "grabber thread still running 5 s after close");
    }
}

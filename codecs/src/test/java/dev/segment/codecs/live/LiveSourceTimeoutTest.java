package dev.segment.codecs.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.SourceException;
import dev.segment.codecs.VideoFrame;
import dev.segment.testing.CapturedLog;
import dev.segment.testing.Ports;
import dev.segment.testing.SilentServer;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dead, silent or nonsensical camera never hangs the reading thread. Wall-clock bounds are generous (a busy
 * 2-core machine stretches everything): they tell a hang or a wait for the wrong timeout apart, never a slow run.
 */
@SystemTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveSourceTimeoutTest {
    private static final LiveOptions FAST =
            LiveOptions.DEFAULT.withTimeouts(1500, 1000).withReconnect(ReconnectPolicy.NEVER);

    static {
        // Loading FFmpeg's native libraries takes seconds once per JVM: not part of what is timed below.
        try (FrameSource warm = Sources.create("lavfi:testsrc2=size=16x16:rate=5", FAST, SourceListener.NONE)) {
            warm.open();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void silentRtspServerFailsOpenWithinTheOpenTimeout() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            String url = "rtsp://viewer:topsecret@127.0.0.1:" + server.port() + "/stream";
            long t0 = System.nanoTime();
            try (FrameSource src = Sources.create(url, FAST, SourceListener.NONE)) {
                IOException e = assertThrows(IOException.class, src::open);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 900, "open should wait for the timeout, failed after " + ms + " ms: " + e);
                assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
                // The kind is not asserted: interrupted inside the RTSP handshake, FFmpeg reports "invalid data",
                // which FfmpegSource (codecs) currently classifies as NOT_VIDEO rather than TIMEOUT.
                assertTrue(server.connections() >= 1, "FFmpeg should have connected");
            }
        }
    }

    @Test
    void garbageOnThePortFailsOpenWithoutHanging() throws Exception {
        try (SilentServer server = SilentServer.garbage();
                FrameSource src =
                        Sources.create("rtsp://127.0.0.1:" + server.port() + "/x", FAST, SourceListener.NONE)) {
            assertThrows(IOException.class, src::open); // a hang is caught by @Timeout
        }
    }

    /** A refused connection is reported as refused, not as a timeout. */
    @Test
    void nothingListeningFailsFastAndIsNotATimeout() throws Exception {
        int port = Ports.closed();
        LiveOptions patient = FAST.withTimeouts(30_000, 30_000);
        try (FrameSource src = Sources.create("rtsp://127.0.0.1:" + port + "/x", patient, SourceListener.NONE)) {
            IOException e = assertThrows(IOException.class, src::open);
            assertFalse(e instanceof SourceException se && se.kind() == SourceException.Kind.TIMEOUT, e.toString());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused"), e.toString());
        }
    }

    @Test
    void closeFromAnotherThreadUnblocksAPendingOpen() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            // Timeouts beyond the class's @Timeout: only the close can end the open in time.
            LiveOptions slow = FAST.withTimeouts(120_000, 120_000).withReconnect(ReconnectPolicy.DEFAULT);
            FrameSource src = Sources.create("rtsp://127.0.0.1:" + server.port() + "/x", slow, SourceListener.NONE);
            Thread closer = new Thread(() -> {
                try {
                    // close while the open waits in the handshake: FFmpeg has connected to the silent server
                    await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 1);
                    src.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            closer.start();
            assertThrows(IOException.class, src::open);
            closer.join();
        }
    }

    @Test
    void reconnectingSourceGivesUpAfterConfiguredAttemptsAndCountsThem() throws Exception {
        try (SilentServer server = SilentServer.silent()) {
            LiveOptions o = FAST.withTimeouts(500, 500).withReconnect(new ReconnectPolicy(2, 50, 100, 0));
            CountingListener events = new CountingListener();
            ReconnectingSource src =
                    (ReconnectingSource) Sources.create("rtsp://u:pw9@127.0.0.1:" + server.port() + "/x", o, events);
            IOException e = assertThrows(IOException.class, src::open);
            assertTrue(e.getMessage().contains("giving up"), e.getMessage());
            assertFalse(e.getMessage().contains("pw9"), e.getMessage());
            assertEquals(3, src.attempts(), "1 try + 2 retries");
            assertTrue(events.attempts.get() == 2 && events.disconnects.get() == 3, events.toString());
            assertFalse(events.toString().contains("pw9"), events.toString());
            assertThrows(IOException.class, () -> src.read(new VideoFrame(1, 1)), "a failed source stays failed");
            assertEquals(3, src.attempts(), "no further attempts after giving up");
            src.close();
        }
    }

    /**
     * A camera that cannot be reached says so at its first failure (a warning, while the retries go on), and every
     * attempt after it is one INFO line naming the source without its password, with the attempt's number and delay.
     */
    @Test
    void unreachableCameraIsAWarningAtOnceAndEveryAttemptAnInfoLine() throws Exception {
        int port = Ports.closed();
        CapturedLog log = CapturedLog.of(ReconnectingSource.class);
        LiveOptions o = FAST.withReconnect(new ReconnectPolicy(-1, 100, 200, 0));
        FrameSource src = Sources.create("rtsp://viewer:pw7@127.0.0.1:" + port + "/cam", o, SourceListener.NONE);
        Thread opener = new Thread(
                () -> {
                    try {
                        src.open();
                    } catch (IOException closed) {
                        // close() below ends the retries
                    }
                },
                "test-opener");
        try {
            opener.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (attemptLines(log.records()).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> attempts = attemptLines(log.records());
            assertTrue(attempts.size() >= 3, "attempt lines: " + log.messages());
            assertTrue(opener.isAlive(), "still retrying (no limit)");
            String first = log.messages().stream()
                    .filter(m -> m.contains("cannot connect"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no 'cannot connect' line: " + log.messages()));
            LogRecord warning = log.records().stream()
                    .filter(r -> r.getMessage().equals(first))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Level.WARNING, warning.getLevel(), first);
            assertTrue(
                    first.startsWith("rtsp://***@127.0.0.1:" + port + "/cam: cannot connect (")
                            && first.toLowerCase(java.util.Locale.ROOT).contains("refused"),
                    first);
            assertTrue(
                    log.messages().indexOf(first) < log.messages().indexOf(attempts.get(0)),
                    "the warning comes at the first failure, before the first retry: " + log.messages());
            for (int i = 0; i < 3; i++) {
                assertTrue(
                        attempts.get(i)
                                .matches("rtsp://\\*\\*\\*@127\\.0\\.0\\.1:" + port + "/cam: connection attempt "
                                        + (i + 2) + " in \\d+ ms"),
                        attempts.get(i));
            }
            assertEquals(
                    1,
                    log.messages().stream()
                            .filter(m -> m.contains("cannot connect"))
                            .count(),
                    "one warning, not one per attempt: " + log.messages());
            assertFalse(
                    log.messages().stream().anyMatch(m -> m.contains("pw7")),
                    log.messages().toString());
        } finally {
            src.close();
            opener.join(10_000);
            log.close();
        }
        assertFalse(opener.isAlive(), "close() ends the retries");
    }

    /** INFO lines about attempts. */
    private static List<String> attemptLines(List<LogRecord> records) {
        return records.stream()
                .filter(r -> r.getLevel() == Level.INFO && r.getMessage().contains(" attempt "))
                .map(LogRecord::getMessage)
                .toList();
    }
}

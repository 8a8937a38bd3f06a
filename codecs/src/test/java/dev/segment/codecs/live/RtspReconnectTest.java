package dev.segment.codecs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.Transport;
import dev.segment.testing.CapturedLog;
import dev.segment.testing.RtspTestServer;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real RTSP server (GstRtspServer): reading, a camera that dies and comes back, size changes. */
@SystemTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RtspReconnectTest {
    private static final String CLIP = "intel_car-detection.mp4";

    /** Per test, not per class: a class-level skip is reported as zero tests, easy to overlook. */
    @BeforeEach
    void needsGstRtspServer() {
        RtspTestServer.assumeAvailable();
    }

    private static LiveOptions options(Transport t) {
        return LiveOptions.DEFAULT
                .withTransport(t)
                .withTimeouts(8000, 2000)
                .withReconnect(new ReconnectPolicy(-1, 200, 1000, 0.2));
    }

    @Test
    void readsFramesOverTcpWithWallClockTimestamps() throws Exception {
        readsFrames(Transport.TCP);
    }

    @Test
    void readsFramesOverUdp() throws Exception {
        readsFrames(Transport.UDP);
    }

    private void readsFrames(Transport t) throws Exception {
        try (RtspTestServer server = RtspTestServer.serving(Shared.video(CLIP), 25, 0, 0);
                FrameSource src = Sources.create(server.url(), options(t), SourceListener.NONE)) {
            VideoInfo info = src.open();
            assertEquals(768, info.width());
            assertEquals(432, info.height());
            assertTrue(info.live());
            VideoFrame f = new VideoFrame(16, 16);
            long prev = -1;
            long t0 = 0;
            int n = 100;
            for (int i = 0; i < n; i++) {
                if (i == 50) {
                    t0 = System.nanoTime();
                }
                assertTrue(src.read(f), "frame " + i);
                assertEquals(768, f.width());
                assertTrue(f.ptsMicros() > prev, "pts must increase: " + prev + " then " + f.ptsMicros());
                assertTrue(f.captureNanos() > 0);
                assertEquals(0, f.epoch());
                prev = f.ptsMicros();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // A real-time 25 fps camera: once what was buffered while probing is drained, 50 frames take 2 s (no less;
            // a stall is caught by @Timeout).
            assertTrue(seconds > 1.2, "frames 50..99 at 25 fps took " + seconds + " s");
            assertTrue(nonBlack(f), "last frame should show the car park, not a black picture");
        }
    }

    @Test
    void reconnectsAfterTheServerIsKilledAndRestartedWithMonotonicTimesAndANewEpoch() throws Exception {
        CountingListener events = new CountingListener();
        CapturedLog log = CapturedLog.of(ReconnectingSource.class);
        try (RtspTestServer server = RtspTestServer.serving(Shared.video(CLIP), 25, 0, 0)) {
            String url = server.url().replace("rtsp://", "rtsp://admin:hunter2@");
            ReconnectingSource src = (ReconnectingSource) Sources.create(url, options(Transport.TCP), events);
            try {
                VideoInfo info = src.open();
                assertFalse(info.description().contains("hunter2"), info.description());
                VideoFrame f = new VideoFrame(16, 16);
                long prev = -1;
                for (int i = 0; i < 10; i++) {
                    assertTrue(src.read(f));
                    prev = f.ptsMicros();
                }
                server.kill();
                // Frames buffered before the kill may still come; then the read fails and reconnection starts.
                Thread restarter = new Thread(() -> {
                    try {
                        Thread.sleep(1500);
                        server.restartWith(List.of(
                                "--file",
                                Shared.video(CLIP).toString(),
                                "--fps",
                                "25",
                                "--width",
                                "640",
                                "--height",
                                "360"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                restarter.start();
                int epochSeen = 0;
                int afterReconnect = 0;
                for (int i = 0; i < 400 && afterReconnect < 10; i++) {
                    assertTrue(src.read(f));
                    assertTrue(f.ptsMicros() > prev, "pts went back: " + prev + " then " + f.ptsMicros());
                    prev = f.ptsMicros();
                    if (f.epoch() > 0) {
                        epochSeen = f.epoch();
                        afterReconnect++;
                        assertEquals(640, f.width(), "the restarted camera sends 640x360");
                        assertEquals(360, f.height());
                    }
                }
                restarter.join(20_000);
                assertEquals(10, afterReconnect, "frames resume after the restart; events " + events);
                assertEquals(1, epochSeen, "one reconnect, one new epoch (size change in the same epoch)");
                assertEquals(1, src.reconnects());
                assertTrue(src.attempts() >= 2, "attempts " + src.attempts());
                assertTrue(events.attempts.get() >= 1 && events.connects.get() == 2, events.toString());
                assertTrue(events.sizeChanges.get() == 1, events.toString());
                assertTrue(
                        log.messages().stream().anyMatch(m -> m.contains("reconnection attempt")),
                        log.messages().toString());
                assertFalse(
                        log.messages().stream().anyMatch(m -> m.contains("hunter2")),
                        log.messages().toString());
                assertFalse(events.messages.stream().anyMatch(m -> m.contains("hunter2")), events.toString());
            } finally {
                src.close();
            }
            assertGrabberThreadsEnd();
        } finally {
            log.close();
        }
    }

    @Test
    void readTimesOutWhenTheCameraStopsSendingAndCloseUnblocks() throws Exception {
        try (RtspTestServer server = RtspTestServer.serving(Shared.video(CLIP), 25, 0, 0)) {
            LiveOptions o =
                    options(Transport.TCP).withReconnect(ReconnectPolicy.NEVER).withTimeouts(8000, 1000);
            FrameSource src = Sources.create(server.url(), o, SourceListener.NONE);
            src.open();
            VideoFrame f = new VideoFrame(16, 16);
            assertTrue(src.read(f));
            server.kill();
            IOException failure = null;
            boolean ended = false;
            for (int i = 0; i < 200 && failure == null; i++) {
                try {
                    if (!src.read(f)) {
                        ended = true;
                        break;
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            src.close();
            assertTrue(ended || failure != null, "reading stops once the camera is gone");
            assertGrabberThreadsEnd();
        }
    }

    static boolean nonBlack(VideoFrame f) {
        java.nio.ByteBuffer b = f.rgb();
        long sum = 0;
        for (int i = 0; i < b.limit(); i += 97) {
            sum += b.get(i) & 0xff;
        }
        return sum / (b.limit() / 97.0) > 20;
    }

    static void assertGrabberThreadsEnd() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("segment-live-") && t.isAlive())) {
                return;
            }
            Thread.sleep(50);
        }
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (t.getName().startsWith("segment-live-")) {
                dump.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (StackTraceElement e : st) {
                    dump.append("    at ").append(e).append('\n');
                }
            }
        });
        throw new AssertionError("live source threads still running 10 s after close:\n" + dump);
    }
}

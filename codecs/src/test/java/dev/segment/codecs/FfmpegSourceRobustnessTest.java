package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Ffmpeg;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt streams, stalled network inputs, timeouts and closing from another thread. */
@SystemTest
class FfmpegSourceRobustnessTest {
    @TempDir
    Path dir;

    /** Serves {@code bytes} to one client on 127.0.0.1, then keeps the connection open without sending more. */
    static final class StallingServer implements AutoCloseable {
        final ServerSocket server;
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        StallingServer(byte[] bytes) throws Exception {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket s = server.accept();
                        OutputStream out = s.getOutputStream()) {
                    out.write(bytes);
                    out.flush();
                    release.await(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the client went away
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String url() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws java.io.IOException {
            release.countDown();
            server.close();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    byte[] mpegts(int frames) throws Exception {
        Path ts = Ffmpeg.ffmpeg(
                dir.resolve("clip.ts"),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
                "-frames:v",
                String.valueOf(frames),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-bf",
                "0",
                "-f",
                "mpegts");
        return Files.readAllBytes(ts);
    }

    @Test
    void closeFromAnotherThreadUnblocksAStalledRead() throws Exception {
        try (StallingServer server = new StallingServer(mpegts(50))) {
            FfmpegSource source = new FfmpegSource(
                    server.url(),
                    SourceOptions.forLive()
                            .withFormat("mpegts")
                            .withReadTimeout(Duration.ZERO)
                            .withOpenTimeout(Duration.ofSeconds(10)));
            source.open();
            VideoFrame frame = new VideoFrame(1, 1);
            int frames = 0;
            // The stall's length: nothing outside shows that the read is blocked in the socket, so the close comes
            // 1.5 s after the start, long after the 50 frames were read.
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                source.close();
            });
            long start = System.nanoTime();
            closer.start();
            while (source.read(frame)) {
                frames++;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            closer.join();
            assertTrue(frames > 30, "frames before the stall: " + frames);
            assertTrue(ms >= 1400, "read returned after " + ms + " ms, before the close at 1500 ms");
            assertFalse(source.read(frame));
        }
    }

    @Test
    void stalledReadFailsWithTimeoutAfterReadTimeout() throws Exception {
        try (StallingServer server = new StallingServer(mpegts(50));
                FfmpegSource source = new FfmpegSource(
                        server.url(),
                        SourceOptions.forLive().withFormat("mpegts").withReadTimeout(Duration.ofMillis(700)))) {
            source.open();
            VideoFrame frame = new VideoFrame(1, 1);
            SourceException e = assertThrows(SourceException.class, () -> {
                while (source.read(frame)) {
                    // drain what was sent
                }
            });
            assertEquals(SourceException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
    }

    @Test
    void silentServerFailsTheOpenWithTimeout() throws Exception {
        try (StallingServer server = new StallingServer(new byte[0])) {
            SourceException e = assertThrows(
                    SourceException.class,
                    () -> new FfmpegSource(
                                    server.url(),
                                    SourceOptions.forLive()
                                            .withFormat("mpegts")
                                            .withOpenTimeout(Duration.ofMillis(800)))
                            .open());
            assertEquals(SourceException.Kind.TIMEOUT, e.kind(), e.getMessage());
        }
    }

    @Test
    void corruptBytesInTheMiddleAreSkippedNotFatal() throws Exception {
        Path clean = Ffmpeg.ffmpeg(
                dir.resolve("car.ts"),
                "-i",
                Shared.video("intel_car-detection.mp4").toString(),
                "-an",
                "-c",
                "copy",
                "-f",
                "mpegts");
        byte[] bytes = Files.readAllBytes(clean);
        java.util.Random random = new java.util.Random(3);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64 * 1024; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        Path corrupt = Files.write(dir.resolve("corrupt.ts"), bytes);
        int frames = 0;
        try (FfmpegSource source = new FfmpegSource(corrupt)) {
            source.open();
            VideoFrame frame = new VideoFrame(1, 1);
            while (source.read(frame)) {
                frames++;
            }
        }
        assertTrue(frames > 377 * 0.8, "decoded " + frames + " of 377 frames");
    }

    /**
     * 60 frames of real footage in MP4 (key frame every 10) with 2 KB of random bytes written over the start of the
     * first key frame and at 20, 50 and 80 % of the file: the container is intact, the H.264 slices are not.
     */
    @Test
    void slightlyCorruptRealClipDecodesLikeFfmpeg() throws Exception {
        Path clean = Ffmpeg.ffmpeg(
                dir.resolve("clean.mp4"),
                "-i",
                Shared.video("intel_one-by-one-person-detection.mp4").toString(),
                "-vf",
                "trim=start_frame=80:end_frame=140,setpts=PTS-STARTPTS",
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                "10",
                "-movflags",
                "+faststart");
        byte[] bytes = Files.readAllBytes(clean);
        int mdat = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("mdat") + 4;
        java.util.Random random = new java.util.Random(7);
        for (int start : new int[] {mdat + 64, bytes.length / 5, bytes.length / 2, bytes.length * 4 / 5}) {
            for (int i = start; i < start + 2048; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
        }
        Path box = Files.write(dir.resolve("corrupt.mp4"), bytes);
        String ffmpegSays = Ffmpeg.decodeErrors(box);
        assertTrue(ffmpegSays.contains("h264"), "the damage must reach the decoder; ffmpeg said: " + ffmpegSays);
        long frames = 0;
        try (FfmpegSource source = new FfmpegSource(box)) {
            source.open();
            VideoFrame frame = new VideoFrame(1, 1);
            while (source.read(frame)) {
                frames++;
            }
        }
        assertEquals(Ffmpeg.countFrames(box), frames);
    }
}

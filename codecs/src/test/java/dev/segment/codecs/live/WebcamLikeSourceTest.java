package dev.segment.codecs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.testing.ChildProcess;
import dev.segment.testing.Ports;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * There is no /dev/video* on these machines: the webcam path is exercised through the same source interface with a
 * real-time lavfi graph and with an MJPEG-over-HTTP camera served by ffmpeg.
 */
@SystemTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebcamLikeSourceTest {
    private static final LiveOptions OPTS =
            LiveOptions.DEFAULT.withTimeouts(8000, 3000).withRealtime(true);

    @Test
    void lavfiCameraDeliversFramesAtItsFrameRate() throws Exception {
        try (FrameSource src = Sources.create("lavfi:testsrc2=size=320x240:rate=25", OPTS, SourceListener.NONE)) {
            VideoInfo info = src.open();
            assertEquals(320, info.width());
            assertTrue(info.live());
            VideoFrame f = new VideoFrame(1, 1);
            assertTrue(src.read(f));
            long t0 = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                assertTrue(src.read(f));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            // paced, not bursting: a second of camera cannot come sooner (a stall is caught by @Timeout)
            assertTrue(s > 0.8, "25 frames of a 25 fps camera took " + s + " s");
            assertEquals(240, f.height());
        }
    }

    @Test
    void mjpegOverHttpCameraIsReadAsALiveUrl() throws Exception {
        int port = Ports.free();
        List<String> cmd = List.of(
                "ffmpeg",
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-i",
                Shared.video("intel_car-detection.mp4").toString(),
                "-t",
                "20",
                "-vf",
                "scale=384:216",
                "-c:v",
                "mjpeg",
                "-q:v",
                "5",
                "-f",
                "mpjpeg",
                "-listen",
                "1",
                "http://127.0.0.1:" + port + "/cam.mjpg");
        try (ChildProcess camera = ChildProcess.start(cmd)) {
            // ffmpeg -listen 1 serves exactly one client, so no port probe: the source retries (connection
            // refused) until the camera listens, as with a camera that is still booting.
            LiveOptions o = OPTS.withRealtime(false).withReconnect(new ReconnectPolicy(40, 100, 250, 0));
            try (FrameSource src = Sources.create("http://127.0.0.1:" + port + "/cam.mjpg", o, SourceListener.NONE)) {
                VideoInfo info = src.open();
                assertEquals(384, info.width());
                assertEquals(216, info.height());
                VideoFrame f = new VideoFrame(1, 1);
                long prev = -1;
                for (int i = 0; i < 20; i++) {
                    assertTrue(src.read(f), "frame " + i);
                    assertTrue(f.ptsMicros() > prev);
                    prev = f.ptsMicros();
                }
                assertTrue(RtspReconnectTest.nonBlack(f));
            }
        }
    }
}

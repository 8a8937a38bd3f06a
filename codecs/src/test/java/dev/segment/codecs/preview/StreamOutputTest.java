package dev.segment.codecs.preview;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.RtspTestServer;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stream outputs: RTSP push to a real server, segmented recording read back by ffprobe. */
@SystemTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamOutputTest {
    private static final VideoInfo INFO = new VideoInfo(320, 240, 25, -1, 0, 0, true, "lavfi test");

    @TempDir
    Path tmp;

    @Test
    void rtspPushReachesARecordingServerFrameForFrame() throws Exception {
        RtspTestServer.assumeAvailable();
        Path received = tmp.resolve("received.ts");
        try (RtspTestServer server = RtspTestServer.recording(received)) {
            StreamPushSink sink = new StreamPushSink(server.pushUrl(), 1_000_000, 5000);
            sink.open(INFO);
            TestFrame f = new TestFrame(320, 240, 15);
            for (int i = 0; i < 50; i++) {
                sink.write(f.at(i, i * 40_000L));
                Thread.sleep(40);
            }
            sink.close();
            sink.close();
            // the server writes what it received as the session ends
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> Ffmpeg.frameTimes(received).size() >= 45);
        }
        // The recording server's muxer adds a repeated key frame without a timestamp at the start: count timed ones.
        int frames = Ffmpeg.frameTimes(received).size();
        // Its depayloader may also hold back the last frame or two when the session ends.
        assertTrue(frames >= 45 && frames <= 50, "received " + frames + " of 50 frames");
        assertTrue(Ffmpeg.videoSummary(received).startsWith("320,240"));
    }

    @Test
    void pushToNothingFailsWithARedactedMessage() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StreamPushSink sink = new StreamPushSink("rtsp://pub:secret77@127.0.0.1:" + port + "/push", 500_000, 2000);
        IOException e = assertThrows(IOException.class, () -> sink.open(INFO));
        assertFalse(e.getMessage().contains("secret77"), e.getMessage());
        sink.close();
        assertEquals(
                "rtmp://***@ingest.example/live/***",
                StreamPushSink.describe("rtmp://u:p@ingest.example/live/sk_abcdef"));
    }

    @Test
    void segmentedRecordingStartsAPlayableFileEveryTwoSeconds() throws Exception {
        SegmentedRecordingSink sink = new SegmentedRecordingSink(
                tmp.resolve("rec"),
                "cam1",
                "mp4",
                2.0,
                VideoSinkOptions.defaults().withPreset("ultrafast"));
        sink.open(INFO);
        TestFrame f = new TestFrame(320, 240, 15);
        for (int i = 0; i < 130; i++) {
            sink.write(f.at(i, i * 40_000L));
        }
        sink.close();
        List<Path> files = sink.files();
        assertEquals(3, files.size(), files.toString());
        assertEquals(
                List.of("cam1-00000.mp4", "cam1-00001.mp4", "cam1-00002.mp4"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        int total = 0;
        for (Path p : files) {
            assertTrue(Files.size(p) > 0);
            total += (int) Ffmpeg.countFrames(p);
        }
        assertEquals(
                List.of(50, 50, 30),
                List.of((int) Ffmpeg.countFrames(files.get(0)), (int) Ffmpeg.countFrames(files.get(1)), (int)
                        Ffmpeg.countFrames(files.get(2))));
        assertEquals(130, total);
    }
}

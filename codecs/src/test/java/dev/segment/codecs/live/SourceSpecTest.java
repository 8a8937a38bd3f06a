package dev.segment.codecs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.config.Transport;
import org.junit.jupiter.api.Test;

class SourceSpecTest {
    private static final LiveOptions OPTS = LiveOptions.DEFAULT.withTimeouts(3000, 2000);

    @Test
    void rtspDefaultsToTcpWithMicrosecondSocketTimeout() {
        SourceSpec s = SourceSpec.parse("rtsp://cam.local:8554/live", OPTS);
        assertEquals(SourceKind.RTSP, s.kind());
        assertEquals("tcp", s.ffmpegOptions().get("rtsp_transport"));
        assertEquals("3000000", s.ffmpegOptions().get("timeout"), "socket backstop = the longer timeout");
        assertEquals("500000", s.ffmpegOptions().get("analyzeduration"), "half a second of probing, not FFmpeg's 5 s");
        assertTrue(s.live());
        assertEquals(
                "udp",
                SourceSpec.parse("rtsp://c/x", OPTS.withTransport(Transport.UDP))
                        .ffmpegOptions()
                        .get("rtsp_transport"));
    }

    @Test
    void webcamByDeviceOrIndexUsesV4l2() {
        SourceSpec byIndex = SourceSpec.parse("2", OPTS.withCapture("640x480", 30));
        assertEquals(SourceKind.WEBCAM, byIndex.kind());
        assertEquals("/dev/video2", byIndex.input());
        assertEquals("/dev/video2", byIndex.description());
        assertEquals("v4l2", byIndex.format());
        assertEquals("640x480", byIndex.ffmpegOptions().get("video_size"));
        assertEquals("v4l2", SourceSpec.parse("/dev/video0", OPTS).format());
    }

    @Test
    void dashIsStandardInputReadAsAFile() {
        SourceSpec s = SourceSpec.parse("-", OPTS);
        assertEquals(SourceKind.FILE, s.kind());
        assertEquals("pipe:0", s.input());
        assertEquals("standard input", s.description());
        assertFalse(s.live());
        assertTrue(SourceSpec.parse("-", OPTS.withRealtime(true)).live(), "paced like a camera when asked");
    }

    @Test
    void lavfiGraphIsAlwaysPacedLikeACamera() {
        SourceSpec s = SourceSpec.parse("lavfi:testsrc2=rate=25", OPTS);
        assertEquals("lavfi", s.format());
        assertEquals("testsrc2=rate=25,realtime", s.input());
        assertTrue(s.live());
    }

    @Test
    void filesAreNotLiveUnlessPacedAndUrlsGetReadTimeouts() {
        SourceSpec f = SourceSpec.parse("/data/clip.mp4", OPTS);
        assertEquals(SourceKind.FILE, f.kind());
        assertFalse(f.live());
        assertNull(f.format());
        assertTrue(
                SourceSpec.parse("file:/data/clip.mp4", OPTS.withRealtime(true)).live());
        SourceSpec http = SourceSpec.parse("http://127.0.0.1:8080/video.mjpg", OPTS);
        assertEquals(SourceKind.URL, http.kind());
        assertEquals("2000000", http.ffmpegOptions().get("rw_timeout"));
    }

    @Test
    void descriptionAndToStringCarryNoCredentials() {
        SourceSpec s = SourceSpec.parse("rtsp://admin:hunter2@cam/live", OPTS);
        assertFalse(s.description().contains("hunter2"));
        assertFalse(s.toString().contains("hunter2"));
        assertEquals("rtsp://admin:hunter2@cam/live", s.input(), "FFmpeg still gets the credentials");
    }

    @Test
    void blankSourceIsRejectedWithAHint() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse(" ", OPTS))
                .getMessage()
                .contains("/dev/videoN"));
    }
}

package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.CapturedLog;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FFmpeg's messages reach SLF4J (here bound to java.util.logging) one line per event, shortened and redacted. */
class FfmpegLogTest {
    private CapturedLog log;

    @BeforeEach
    void listen() {
        log = CapturedLog.of("ffmpeg");
    }

    @AfterEach
    void stop() {
        log.close();
    }

    @Test
    void aRefusedConnectionIsOneErrorEventWithoutTheContextAddress() {
        FfmpegLog.configure(false);
        AVFormatContext ctx = new AVFormatContext(null);
        int code = avformat.avformat_open_input(ctx, "tcp://127.0.0.1:9", null, null);
        assertTrue(code < 0, "nothing listens on the discard port");
        List<String> errors = log.records().stream()
                .filter(r -> r.getLevel() == Level.SEVERE)
                .map(LogRecord::getMessage)
                .toList();
        assertTrue(
                errors.stream().anyMatch(m -> m.startsWith("[tcp] Connection to tcp://127.0.0.1:9 failed")),
                errors.toString());
        assertTrue(errors.stream().noneMatch(m -> m.contains("\n") || m.contains(" @ 0x")), errors.toString());
    }

    @Test
    void levelsMapAndCredentialsAreRemoved() {
        FfmpegLog.emit(
                avutil.AV_LOG_WARNING, "[rtsp @ 0x55d0c0ffee00] method DESCRIBE failed for rtsp://admin:pw@cam/1  ");
        FfmpegLog.emit(avutil.AV_LOG_INFO, "  Stream #0:0: Video: h264");
        FfmpegLog.emit(avutil.AV_LOG_DEBUG, "   ");
        assertEquals(2, log.records().size(), log.records().toString());
        assertEquals(Level.WARNING, log.records().get(0).getLevel());
        assertEquals(
                "[rtsp] method DESCRIBE failed for rtsp://***@cam/1",
                log.records().get(0).getMessage());
        assertEquals(Level.INFO, log.records().get(1).getLevel());
        assertEquals("  Stream #0:0: Video: h264", log.records().get(1).getMessage());
        assertFalse(log.records().stream().anyMatch(r -> r.getMessage().contains("pw")));
    }
}

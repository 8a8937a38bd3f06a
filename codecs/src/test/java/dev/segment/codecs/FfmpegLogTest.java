package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FFmpeg's messages reach SLF4J (here bound to java.util.logging) one line per event, shortened and redacted. */
class FfmpegLogTest {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger jul = Logger.getLogger("ffmpeg");

    @BeforeEach
    void listen() {
        jul.addHandler(capture);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(capture);
    }

    @Test
    void aRefusedConnectionIsOneErrorEventWithoutTheContextAddress() {
        FfmpegLog.configure(false);
        AVFormatContext ctx = new AVFormatContext(null);
        int code = avformat.avformat_open_input(ctx, "tcp://127.0.0.1:9", null, null);
        assertTrue(code < 0, "nothing listens on the discard port");
        List<String> errors = records.stream().filter(r -> r.getLevel() == Level.SEVERE).map(LogRecord::getMessage)
                .toList();
        assertTrue(errors.stream().anyMatch(m -> m.startsWith("[tcp] Connection to tcp://127.0.0.1:9 failed")),
                errors.toString());
        assertTrue(errors.stream().noneMatch(m -> m.contains("\n") || m.contains(" @ 0x")), errors.toString());
    }

    @Test
    void levelsMapAndCredentialsAreRemoved() {
        FfmpegLog.emit(avutil.AV_LOG_WARNING, "[rtsp @ 0x55d0c0ffee00] method DESCRIBE failed for rtsp://admin:pw@cam/1  ");
        FfmpegLog.emit(avutil.AV_LOG_INFO, "  Stream #0:0: Video: h264");
        FfmpegLog.emit(avutil.AV_LOG_DEBUG, "   ");
        assertEquals(2, records.size(), records.toString());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("[rtsp] method DESCRIBE failed for rtsp://***@cam/1", records.get(0).getMessage());
        assertEquals(Level.INFO, records.get(1).getLevel());
        assertEquals("  Stream #0:0: Video: h264", records.get(1).getMessage());
        assertFalse(records.stream().anyMatch(r -> r.getMessage().contains("pw")));
    }
}

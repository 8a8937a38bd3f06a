package dev.segment.cli.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LogLineTest {
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String logger, Level level, String message, Throwable t, Object... args) {
        return new LoggingEvent("test", context.getLogger(logger), level, message, t, args);
    }

    @Test
    void oneLineInTheCommandsOwnStyleWithCredentialsRemoved() {
        String line = LogLine.format(
                event(
                        "dev.segment.codecs.live.ReconnectingSource",
                        Level.WARN,
                        "{}: stream lost ({})",
                        null,
                        "rtsp://admin:hunter2@cam/1",
                        "read timeout"),
                false);
        assertEquals("segment: warning: rtsp://***@cam/1: stream lost (read timeout)" + System.lineSeparator(), line);
        assertEquals(
                "segment: connected" + System.lineSeparator(),
                LogLine.format(event("x", Level.INFO, "connected", null), false));
    }

    @Test
    void exceptionsAreOneLineByDefaultAndAStackTraceWhenVerboseBothRedacted() {
        IOException e = new IOException("cannot open rtsp://u:secret@cam/2?token=abc");
        String quiet = LogLine.format(event("x", Level.ERROR, "failed", e), false);
        assertEquals(1, quiet.lines().count(), quiet);
        assertTrue(
                quiet.startsWith(
                        "segment: error: failed (java.io.IOException: cannot open rtsp://***@cam/2?token=***)"),
                quiet);
        String verbose = LogLine.format(event("dev.segment.X", Level.ERROR, "failed", e), true);
        assertTrue(verbose.lines().count() > 2, verbose);
        assertTrue(verbose.contains(" ERROR [") && verbose.contains("d.s.X: failed"), verbose);
        assertTrue(verbose.contains("at dev.segment.cli.logging.LogLineTest"), verbose);
        assertFalse(verbose.contains("secret") || verbose.contains("abc"), verbose);
    }
}

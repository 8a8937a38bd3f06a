package dev.segment.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.segment.codecs.Redact;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The text of one log event, with credentials removed from every part of it ({@link Redact}: the message with its
 * arguments, the exception's message, the stack trace). Default, like the command's own messages: {@code segment: warning: rtsp://***@cam/1: stream
 * lost (...)}. Verbose: time, level, thread and logger, then the message and the stack trace.
 */
final class LogLine {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogLine() {}

    static String format(ILoggingEvent event, boolean verbose) {
        StringBuilder line = new StringBuilder(160);
        IThrowableProxy thrown = event.getThrowableProxy();
        String message = Redact.redact(event.getFormattedMessage());
        if (verbose) {
            line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
                    .append(' ')
                    .append(event.getLevel())
                    .append(" [")
                    .append(event.getThreadName())
                    .append("] ")
                    .append(shortName(event.getLoggerName()))
                    .append(": ")
                    .append(message);
            if (thrown != null) {
                line.append(System.lineSeparator())
                        .append(Redact.redact(
                                ThrowableProxyUtil.asString(thrown).stripTrailing()));
            }
        } else {
            line.append("segment: ").append(prefix(event.getLevel())).append(message);
            if (thrown != null) {
                line.append(" (")
                        .append(thrown.getClassName())
                        .append(thrown.getMessage() == null ? "" : ": " + Redact.redact(thrown.getMessage()))
                        .append(')');
            }
        }
        return line.append(System.lineSeparator()).toString();
    }

    private static String prefix(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return "error: ";
        }
        return level.isGreaterOrEqual(Level.WARN)
                ? "warning: "
                : level.isGreaterOrEqual(Level.INFO) ? "" : level.toString().toLowerCase(java.util.Locale.ROOT) + ": ";
    }

    /** dev.segment.codecs.live.ReconnectingSource -> d.s.c.l.ReconnectingSource */
    private static String shortName(String logger) {
        int last = logger.lastIndexOf('.');
        if (last < 0) {
            return logger;
        }
        StringBuilder s = new StringBuilder();
        for (String part : logger.substring(0, last).split("\\.")) {
            if (!part.isEmpty()) {
                s.append(part.charAt(0)).append('.');
            }
        }
        return s.append(logger.substring(last + 1)).toString();
    }
}

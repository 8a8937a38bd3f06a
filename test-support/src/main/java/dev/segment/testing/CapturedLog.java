package dev.segment.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one logger gets while a test runs (the modules log through SLF4J, bound to java.util.logging in tests): the
 * records, formatted, in order. Close it to stop capturing.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedLog(Logger logger) {
        this.logger = logger;
        logger.addHandler(handler);
    }

    public static CapturedLog of(Class<?> source) {
        return of(source.getName());
    }

    /** A logger by name ({@code "ffmpeg"}). */
    public static CapturedLog of(String logger) {
        return new CapturedLog(Logger.getLogger(logger));
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages so far, in order. */
    public List<String> messages() {
        return records.stream().map(r -> String.valueOf(r.getMessage())).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}

package dev.segment.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The command line's logging: logback behind SLF4J, every event one line on standard error ({@link LogLine}).
 * Default: the project's events from info up, other libraries' warnings and errors, FFmpeg's messages not at all.
 * Verbose: the project's debug events, every library's info, FFmpeg's messages, stack traces, times and threads.
 */
public final class ConsoleLogging {
    /** FfmpegLog's logger. */
    static final String FFMPEG = "ffmpeg";

    private static final String PROJECT = "dev.segment";

    private ConsoleLogging() {}

    /** Applies the levels and the line format; a no-op when another SLF4J backend is bound. */
    public static void configure(boolean verbose) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            apply(context, verbose);
        }
    }

    static void apply(LoggerContext context, boolean verbose) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        StderrAppender appender = new StderrAppender(verbose);
        appender.setContext(context);
        appender.setName("stderr");
        appender.start();
        root.addAppender(appender);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        context.getLogger(PROJECT).setLevel(verbose ? Level.DEBUG : Level.INFO);
        context.getLogger(FFMPEG).setLevel(verbose ? Level.DEBUG : Level.OFF);
        // The embedded Flink cluster of `segment job` logs its own start-up and shutdown at info: errors only by
        // default.
        context.getLogger("org.apache.flink").setLevel(verbose ? Level.INFO : Level.ERROR);
    }
}

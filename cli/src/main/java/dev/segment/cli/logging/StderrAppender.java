package dev.segment.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Writes each event as one {@link LogLine} to the standard error stream current at that moment (a test that swaps
 * {@code System.err} sees the lines). {@code AppenderBase} serializes the calls: lines never interleave.
 */
final class StderrAppender extends AppenderBase<ILoggingEvent> {
    private final boolean verbose;

    StderrAppender(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    protected void append(ILoggingEvent event) {
        System.err.print(LogLine.format(event, verbose));
        System.err.flush();
    }
}

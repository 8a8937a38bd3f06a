package dev.segment.cli;

import dev.segment.codecs.SinkException;
import dev.segment.codecs.SourceException;
import dev.segment.config.ConfigException;
import dev.segment.engine.deeplab.ModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and a distinct exit code ({@link ExitCodes}); the stack trace only with
 * {@code --verbose}. Walks the cause chain, so an error raised deep in a pipeline thread is reported by its cause.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    /** Exit code and message for a failure. */
    record Verdict(int exitCode, String message) {}

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Verdict v = classify(ex);
        PrintWriter err = cmd.getErr();
        err.println("segment: " + v.message());
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return v.exitCode();
    }

    static Verdict classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CommandLine.ParameterException) {
                return new Verdict(ExitCodes.USAGE, t.getMessage());
            }
            if (t instanceof ConfigException) {
                return new Verdict(ExitCodes.CONFIG, "configuration error: " + t.getMessage());
            }
            if (t instanceof ModelException) {
                return new Verdict(ExitCodes.MODEL, "model error: " + t.getMessage());
            }
            if (t instanceof SourceException s) {
                int code = switch (s.kind()) {
                    case NOT_FOUND, UNREADABLE -> ExitCodes.INPUT_MISSING;
                    case NOT_VIDEO, UNSUPPORTED, DECODE -> ExitCodes.INPUT_INVALID;
                    case TIMEOUT, IO -> ExitCodes.SOURCE_LOST;
                };
                return new Verdict(code, "input error: " + t.getMessage());
            }
            if (t instanceof SinkException) {
                return new Verdict(ExitCodes.OUTPUT, "output error: " + t.getMessage());
            }
            if (t instanceof OutOfMemoryError) {
                return new Verdict(
                        ExitCodes.INTERNAL,
                        "out of memory (" + t.getMessage() + "): every ring slot holds"
                                + " whole frames, so lower --ring-size, or give Java more memory (java -Xmx8g -jar ...; the"
                                + " limit on direct buffers follows -Xmx)");
            }
            if (t instanceof UnsatisfiedLinkError || t.getClass().getName().startsWith("dev.segment.crf.")) {
                return new Verdict(ExitCodes.NATIVE, "native CRF error: " + t.getMessage());
            }
        }
        String msg = failure.getMessage();
        return new Verdict(
                ExitCodes.INTERNAL,
                "internal error: " + failure.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)
                        + " (run with --verbose for details)");
    }

    /**
     * The verdict for the tools that read files named on their command line ({@code segment crf}, {@code segment
     * eval}): a bad argument value is a usage error, a missing file an input-missing one, an unreadable or malformed
     * one input-invalid; everything else as {@link #classify}.
     */
    static Verdict classifyToolFailure(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return new Verdict(ExitCodes.USAGE, failure.getMessage());
        }
        if (failure instanceof NoSuchFileException e) {
            return new Verdict(
                    ExitCodes.INPUT_MISSING,
                    "not found: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
        }
        if (failure instanceof IOException) {
            return new Verdict(ExitCodes.INPUT_INVALID, failure.getMessage());
        }
        if (failure instanceof ModelException
                || failure instanceof UnsatisfiedLinkError
                || failure.getClass().getName().startsWith("dev.segment.crf.")) {
            return new Verdict(classify(failure).exitCode(), failure.getMessage());
        }
        return classify(failure);
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}

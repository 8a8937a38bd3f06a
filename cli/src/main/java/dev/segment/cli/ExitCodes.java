package dev.segment.cli;

/**
 * The process exit codes of every command (documented in the README). Distinct per cause so scripts can react:
 * retry a camera, fix a path, fetch a model.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an error nobody anticipated; the message says what, {@code --verbose} gives the stack trace. */
    public static final int INTERNAL = 1;
    /** Command-line usage: unknown flag, missing argument, conflicting flags. */
    public static final int USAGE = 2;
    /** Configuration file or flag value: unknown field, wrong type, out of range. */
    public static final int CONFIG = 3;
    /** Input missing or unreadable. */
    public static final int INPUT_MISSING = 4;
    /** Input is not a video, or its video stream cannot be decoded. */
    public static final int INPUT_INVALID = 5;
    /** Model missing, not a TensorFlow graph, not a DeepLab graph, or the wrong class count. */
    public static final int MODEL = 6;
    /** Output cannot be written: missing or read-only directory, disk full, output equal to the input. */
    public static final int OUTPUT = 7;
    /** The native CRF library cannot be loaded or rejected its input. */
    public static final int NATIVE = 8;
    /** A live source failed for good (reconnect attempts exhausted). */
    public static final int SOURCE_LOST = 9;
    /** Ended by SIGINT (Ctrl-C) after finalizing the output: 128 + 2, as shells report it. */
    public static final int INTERRUPTED = 130;
    /** Ended by SIGTERM after finalizing the output: 128 + 15. */
    public static final int TERMINATED = 143;

    private ExitCodes() {}
}

package dev.segment.codecs;

import java.io.IOException;
import java.nio.file.Path;

/** A {@link FrameSink} could not write; the message names the output path and the cause. */
public final class SinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public SinkException(Path path, String message) {
        this(path, message, null);
    }

    public SinkException(Path path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    /** The output file or directory concerned. */
    public Path path() {
        return path;
    }
}

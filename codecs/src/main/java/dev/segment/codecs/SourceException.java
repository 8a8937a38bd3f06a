package dev.segment.codecs;

import java.io.IOException;

/** A {@link FrameSource} failed; {@link #kind()} says why, the message names the source. */
public final class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The cause, precise enough for a command line to choose an exit code or a retry. */
    public enum Kind {
        /** The file or URL does not exist. */
        NOT_FOUND,
        /** It exists but cannot be read (permissions). */
        UNREADABLE,
        /** It is not a media file, or it has no video stream. */
        NOT_VIDEO,
        /** The video codec or input format is not available in this FFmpeg build. */
        UNSUPPORTED,
        /** The stream is corrupt beyond what decoding can skip. */
        DECODE,
        /** Opening or reading took longer than the configured timeout. */
        TIMEOUT,
        /** Any other I/O or network failure. */
        IO
    }

    private final Kind kind;
    private final String source;

    public SourceException(Kind kind, String source, String message) {
        this(kind, source, message, null);
    }

    public SourceException(Kind kind, String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.kind = kind;
        this.source = source;
    }

    public Kind kind() {
        return kind;
    }

    /** The source as given (credentials removed). */
    public String source() {
        return source;
    }
}

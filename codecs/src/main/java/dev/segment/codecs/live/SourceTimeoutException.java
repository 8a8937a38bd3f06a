package dev.segment.codecs.live;

import java.io.IOException;

/** A live source did not open, or did not deliver a frame, within its timeout. */
public final class SourceTimeoutException extends IOException {
    public SourceTimeoutException(String message) {
        super(message);
    }
}

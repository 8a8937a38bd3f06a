package dev.segment.config.internal;

/** A value of the wrong type for its field; the message says what is allowed. */
public final class TypeMismatch extends Exception {
    TypeMismatch(String allowed) {
        super(allowed);
    }
}

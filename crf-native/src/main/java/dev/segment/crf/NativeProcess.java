package dev.segment.crf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Process-wide settings that only C can change, for the native libraries that share the JVM: the C environment (the
 * JDK reads it but cannot write it) and where file descriptor 2 points. Here because libsegcrf is the project's one
 * JNI library; the engine quiets TensorFlow's start-up output through it. Every method returns false, never throws,
 * when the change could not be made (native library unavailable).
 */
public final class NativeProcess {
    private NativeProcess() {}

    /**
     * Sets an environment variable of this process, for native code that reads it later with getenv, unless it is
     * already set (the user's own setting wins). True when the variable now has a value.
     */
    public static boolean setenvIfUnset(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return NativeRuntime.unavailabilityCause() == null && setenvIfUnset0(name, value);
    }

    /**
     * Runs {@code action} with the process's standard error (file descriptor 2: native libraries' output, and the
     * JVM's own {@code System.err}) written to {@code file}, then restores it. For a single-threaded moment such as
     * loading a library whose start-up notices cannot be turned off; anything another thread prints meanwhile lands in
     * the file too. False, and {@code action} run without redirection, when the native library is unavailable.
     */
    public static boolean withStderrTo(Path file, Runnable action) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(action, "action");
        System.err.flush();
        int saved = NativeRuntime.unavailabilityCause() == null ? redirectStderr0(file.toString()) : -1;
        try {
            action.run();
        } finally {
            if (saved >= 0) {
                System.err.flush();
                restoreStderr0(saved);
            }
        }
        return saved >= 0;
    }

    private static native boolean setenvIfUnset0(String name, String value);

    private static native int redirectStderr0(String path);

    private static native boolean restoreStderr0(int saved);
}

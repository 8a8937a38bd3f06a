package dev.segment.engine.deeplab;

import java.nio.file.Path;

/**
 * A DeepLab model file that cannot be used. The message is one line naming the file and what is wrong with it;
 * {@link #kind()} says which check failed so that callers (the CLI's exit codes, config validation) can react.
 */
public final class ModelException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Which check a model file failed. */
    public enum Kind {
        /** No file at the path. */
        NOT_FOUND,
        /** The file exists but cannot be read (a directory, no permission, I/O error). */
        UNREADABLE,
        /** The bytes are not a TensorFlow GraphDef (protobuf parse fails, empty graph, import rejected). */
        NOT_A_GRAPH,
        /** A valid graph without DeepLab's input and logits tensors, or with shapes DeepLab does not have. */
        NOT_DEEPLAB,
        /** A DeepLab graph whose logits do not have the expected number of classes. */
        WRONG_CLASSES
    }

    private final Kind kind;
    private final Path file;

    public ModelException(Kind kind, Path file, String problem) {
        this(kind, file, problem, null);
    }

    public ModelException(Kind kind, Path file, String problem, Throwable cause) {
        super("model file " + file + ": " + problem, cause);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
        this.file = file;
    }

    public Kind kind() {
        return kind;
    }

    public Path file() {
        return file;
    }
}

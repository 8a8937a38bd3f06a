package dev.segment.cli;

import dev.segment.codecs.SinkException;
import dev.segment.codecs.VideoFileSink;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line's rules for output files, decided before a model is loaded or an input opened: an output that
 * exists is replaced only when asked ({@code --overwrite}, or {@code -y} as FFmpeg spells it), and a video output is
 * one .mp4 or .mkv file, not a directory.
 */
final class OutputFiles {
    private OutputFiles() {}

    /** Refuses {@code path} when a file is there and {@code overwrite} was not given. */
    static void refuseExisting(Path path, boolean overwrite, String what) throws SinkException {
        if (path != null && !overwrite && Files.isRegularFile(path)) {
            throw new SinkException(path, what + " exists; add --overwrite (or -y) to replace it");
        }
    }

    /**
     * Checks that {@code out} names a video file: a directory, or a name without an extension, gets what to write
     * instead ({@code alternative} names what a directory is for in the calling command, or null).
     */
    static void requireVideoFile(String out, String inputName, String alternative) throws SinkException {
        Path path = Path.of(out);
        if (namesDirectory(out)) {
            String stem = inputName == null ? "out" : stem(inputName);
            throw new SinkException(
                    path,
                    "a video is written as one file: name it, e.g. " + path.resolve(stem + ".mp4")
                            + (alternative == null ? "" : "; " + alternative));
        }
        VideoFileSink.checkName(path);
    }

    /** Whether {@code out} names a directory: it ends in '/', is one, or its last name has no extension. */
    static boolean namesDirectory(String out) {
        Path path = Path.of(out);
        return out.endsWith("/")
                || Files.isDirectory(path)
                || !path.getFileName().toString().contains(".");
    }

    private static String stem(String input) {
        String name = Path.of(input).getFileName() == null
                ? "out"
                : Path.of(input).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}

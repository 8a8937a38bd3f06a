package dev.segment.flink;

import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The job's inputs from one command-line value: comma-separated items, each a video file, a directory (its files,
 * not its subdirectories, hidden files left out, sorted by name), a live source ({@code rtsp://...},
 * {@code http://...}, {@code lavfi:GRAPH}, {@code /dev/videoN}: a camera or stream) or a text file ({@code .txt} or {@code .list}) with one such item per line (blank lines and lines
 * starting with {@code #} are skipped). Local paths come out absolute, since the workers may run in another directory.
 * Files are not opened here: a file that is not a video is reported by the job.
 */
public final class InputList {
    private InputList() {}

    /**
     * Whether {@code input} is a live source as {@code segment stream} reads it: a URL with a scheme other than
     * {@code file:} (RTSP, HTTP, SRT...), {@code lavfi:GRAPH}, {@code /dev/videoN} or a webcam index.
     */
    public static boolean isLive(String input) {
        try {
            return SourceSpec.parse(input, LiveOptions.DEFAULT).live();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The inputs {@code list} names; a missing file or directory is an error naming it. */
    public static List<String> expand(String list) throws IOException {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("--inputs is empty: give files, directories, URLs or a .txt list");
        }
        List<String> out = new ArrayList<>();
        for (String item : list.split(",")) {
            add(item.trim(), out, 0);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--inputs " + list + " names no input (empty directories or lists)");
        }
        return out;
    }

    private static void add(String item, List<String> out, int depth) throws IOException {
        if (item.isEmpty()) {
            return;
        }
        if (isLive(item)) {
            out.add(item);
            return;
        }
        Path p = Path.of(item.regionMatches(true, 0, "file://", 0, 7) ? item.substring(7) : item);
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.list(p)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .map(f -> f.toAbsolutePath().normalize().toString())
                        .sorted()
                        .forEach(out::add);
            }
            return;
        }
        if (!Files.exists(p)) {
            throw new java.nio.file.NoSuchFileException(item, null, "no such input file or directory");
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (depth == 0 && (name.endsWith(".txt") || name.endsWith(".list"))) {
            for (String line : Files.readAllLines(p)) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    add(l, out, depth + 1);
                }
            }
            return;
        }
        out.add(p.toAbsolutePath().normalize().toString());
    }
}

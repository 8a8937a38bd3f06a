package dev.segment.flink.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Deletes files a run left under hidden names: by a restarted worker for its input, and by the job at its end. */
public final class Leftovers {
    private Leftovers() {}

    /**
     * Deletes the hidden files (names starting with a dot) directly in {@code dir} whose names {@code match}, telling
     * {@code removed} each name deleted; returns how many. A missing directory has none.
     */
    public static int remove(Path dir, Predicate<String> match, Consumer<String> removed) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int count = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && match.test(n) && Files.deleteIfExists(f)) {
                    removed.accept(n);
                    count++;
                }
            }
        }
        return count;
    }
}

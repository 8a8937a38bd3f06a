package dev.segment.engine.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program beyond the JDK, Maven, cmake, g++ and ffmpeg: they skip with a message naming the Debian
 * package, unless CI demands the tools ({@code -Dsegment.requireSystemTools=true} or {@code SEGMENT_REQUIRE_TOOLS=1};
 * {@code .ci/run} installs the packages), where a missing tool fails the test.
 */
public final class SystemTools {
    private SystemTools() {
    }

    /** The program's path on PATH; skips (or fails when tools are required) naming {@code debianPackage}. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        String message = program + " not found: install the Debian package " + debianPackage;
        if (required()) {
            fail(message + " (system tools are required: segment.requireSystemTools / SEGMENT_REQUIRE_TOOLS)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static boolean required() {
        return Boolean.getBoolean("segment.requireSystemTools") || "1".equals(System.getenv("SEGMENT_REQUIRE_TOOLS"));
    }

    private static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

package dev.segment.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need a system tool beyond JDK 17, Maven, cmake, g++ and ffmpeg (Chromium, Xvfb, the
 * GStreamer RTSP server...): without the tool the test is skipped, with a message naming the Debian package that
 * provides it. With the system property {@value #SWITCH}{@code =true} (set by {@code .ci/run}, which installs every
 * such package; the root POM passes it to the test JVMs) or the environment variable {@code SEGMENT_REQUIRE_TOOLS=1}
 * a missing tool fails the test instead, so CI cannot pass by skipping.
 */
public final class SystemTools {
    /** The switch: {@code mvn -B verify -Dsegment.requireSystemTools=true}. */
    public static final String SWITCH = "segment.requireSystemTools";

    private SystemTools() {}

    /** True when missing tools are failures (CI), false when they are skips (a developer's machine). */
    public static boolean required() {
        return Boolean.getBoolean(SWITCH) || "1".equals(System.getenv("SEGMENT_REQUIRE_TOOLS"));
    }

    /**
     * Returns when {@code present}; otherwise skips the test (JUnit assumption) or, under the switch, fails it.
     *
     * @param what           what is missing, as a user would look for it ("Xvfb", "headless Chromium")
     * @param debianPackages the Debian package(s) to install, space separated
     */
    public static void require(boolean present, String what, String debianPackages) {
        if (present) {
            return;
        }
        String message = what + " is not installed: install the Debian package"
                + (debianPackages.contains(" ") ? "s " : " ") + debianPackages;
        if (required()) {
            throw new AssertionError(message + " (" + SWITCH + "=true: missing system tools fail the build)");
        }
        Assumptions.abort(message);
    }

    /**
     * The program's path on PATH; otherwise skips the test or, under the switch, fails it, naming the package.
     *
     * @param program       the executable's name ("promtool")
     * @param debianPackage the Debian package that provides it
     */
    public static Path requireProgram(String program, String debianPackage) {
        Optional<Path> found = onPath(program);
        require(found.isPresent(), program, debianPackage);
        return found.orElseThrow();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

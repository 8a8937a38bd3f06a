package dev.segment.codecs.live.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared test data and the repository's testing/ scripts are. */
public final class TestPaths {
    private TestPaths() {}

    /** The shared folder: system property segment.shared (set by surefire), else ../shared of the repository. */
    public static Path shared() {
        String p = System.getProperty("segment.shared");
        if (p != null && Files.isDirectory(Path.of(p))) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        return repoRoot().resolve("../shared").normalize();
    }

    public static Path video(String name) {
        Path v = shared().resolve("data/videos").resolve(name);
        if (!Files.isRegularFile(v)) {
            throw new IllegalStateException("test video missing: " + v);
        }
        return v;
    }

    /** The repository root: the nearest parent of the working directory holding testing/rtsp_server.py. */
    public static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        for (Path p = d; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("testing/rtsp_server.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("testing/rtsp_server.py not found above " + d);
    }
}

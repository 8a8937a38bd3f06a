package dev.segment.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real test data in the shared folder (system property {@code segment.shared}, which the root POM sets, else {@code
 * ../shared} beside the repository root): the DeepLab graph and the sample videos; and the repository's own
 * {@code testing/} scripts.
 */
public final class Shared {
    private Shared() {}

    public static Path dir() {
        String property = System.getProperty("segment.shared");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return repoRoot().resolve("../shared").normalize();
    }

    /** The DeepLab v3 MobileNetV2 (depth 0.5) PASCAL VOC graph. */
    public static Path model() {
        return existing(dir().resolve("models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb"));
    }

    /** A video of {@code data/videos}. */
    public static Path video(String name) {
        return existing(dir().resolve("data/videos").resolve(name));
    }

    /** 768x432, 10 fps, 1394 frames: people walk in one by one; one is visible around frame 80. */
    public static Path peopleVideo() {
        return video("intel_one-by-one-person-detection.mp4");
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

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test data " + p);
        }
        return p;
    }
}

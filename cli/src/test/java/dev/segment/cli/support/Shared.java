package dev.segment.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real test data: the shared folder (system property {@code segment.shared}, else {@code ../shared} beside the
 * repository root), the DeepLab graph and the sample videos. Clips with a particular property (damaged, without any
 * VOC object) are cut from these with the ffmpeg CLI ({@link Ffmpeg}).
 */
public final class Shared {
    private Shared() {}

    public static Path dir() {
        String property = System.getProperty("segment.shared");
        Path p = property != null ? Path.of(property) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared");
        }
        return p.toAbsolutePath().normalize();
    }

    /** The DeepLab v3 MobileNetV2 (depth 0.5) PASCAL VOC graph every test converts with. */
    public static Path model() {
        return existing(dir().resolve("models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb"));
    }

    /** 768x432, 10 fps, 1394 frames: people walk in one by one; one is visible around frame 80. */
    public static Path peopleVideo() {
        return existing(dir().resolve("data/videos/intel_one-by-one-person-detection.mp4"));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test data " + p);
        }
        return p;
    }
}

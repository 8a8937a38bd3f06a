package dev.segment.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real test data: the shared folder (system property {@code segment.shared}, else {@code ../shared} beside the
 * repository root), the DeepLab graph, the sample videos, and the clips of Debian's opencv-doc package.
 */
public final class Shared {
    /** tree.avi: trees and sky, no VOC object (a negative clip). */
    public static final Path TREE_AVI = Path.of("/usr/share/doc/opencv-doc/examples/data/tree.avi");
    /** box.mp4.gz: H.264 640x480 whose first packets are corrupt ("non-intra slice in an IDR NAL unit"). */
    public static final Path BOX_MP4_GZ = Path.of("/usr/share/doc/opencv-doc/opencv4/html/box.mp4.gz");

    private Shared() {
    }

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

    /** A file of Debian's opencv-doc package; fails (not skips) when the package is missing, so CI stays honest. */
    public static Path opencvDoc(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: install the Debian package opencv-doc");
        }
        return file;
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test data " + p);
        }
        return p;
    }
}

package dev.segment.flink.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real test data: the shared folder (system property {@code segment.shared}, else {@code ../shared} beside the
 * repository root), the DeepLab graph, and short clips cut from the shared sample videos with the ffmpeg command
 * line (small and few frames, so that a job over several of them runs in seconds).
 */
public final class Clips {
    private Clips() {}

    public static Path shared() {
        String property = System.getProperty("segment.shared");
        Path p = property != null ? Path.of(property) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared");
        }
        return p.toAbsolutePath().normalize();
    }

    /** The DeepLab v3 MobileNetV2 (depth 0.5) PASCAL VOC graph. */
    public static Path model() {
        return existing(shared().resolve("models/deeplabv3_mnv2_dm05_pascal_os8_crop513.pb"));
    }

    public static Path video(String name) {
        return existing(shared().resolve("data/videos").resolve(name));
    }

    /**
     * {@code frames} frames of {@code video} from {@code startSeconds}, scaled to {@code width}x{@code height},
     * H.264 without audio, written to {@code out}.
     */
    public static Path cut(Path video, double startSeconds, int frames, int width, int height, Path out)
            throws IOException, InterruptedException {
        run(List.of(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-ss",
                Double.toString(startSeconds),
                "-i",
                video.toString(),
                "-frames:v",
                Integer.toString(frames),
                "-vf",
                "scale=" + width + ":" + height,
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                out.toString()));
        return out;
    }

    /** Frames ffprobe decodes from the first video stream of {@code file}. */
    public static long frameCount(Path file) throws IOException, InterruptedException {
        String out = run(List.of(
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_frames",
                "-of",
                "csv=p=0",
                file.toString()));
        return Long.parseLong(out.trim());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test data " + p);
        }
        return p;
    }
}

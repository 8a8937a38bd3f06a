package dev.segment.codecs.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test clips: the shared real videos, and small clips made with the ffmpeg CLI (argument lists, no shell). */
public final class Media {
    private Media() {}

    public static Path shared() {
        String prop = System.getProperty("segment.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path video(String name) {
        Path p = shared().resolve("data/videos").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test video " + p);
        }
        return p;
    }

    /** Runs a command, returns stdout; fails with stderr when it exits non-zero. */
    public static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        errReader.join();
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + command + "\n" + err);
        }
        return out.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** ffmpeg -y -v error ARGS... OUT */
    public static Path ffmpeg(Path out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        run(cmd);
        return out;
    }

    /** A lavfi testsrc2 H.264 clip of the given size, rate and frame count (yuv420p needs even sizes). */
    public static Path testClip(Path dir, String name, int w, int h, int fps, int frames)
            throws IOException, InterruptedException {
        return ffmpeg(
                dir.resolve(name),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + w + "x" + h + ":rate=" + fps,
                "-frames:v",
                String.valueOf(frames),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p");
    }

    /** Frames counted by decoding (ffprobe -count_frames). */
    public static long countFrames(Path file) throws IOException, InterruptedException {
        String s = new String(run(List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-count_frames",
                        "-show_entries",
                        "stream=nb_read_frames",
                        "-of",
                        "csv=p=0",
                        file.toString())))
                .trim();
        return Long.parseLong(s.replace(",", ""));
    }

    /** ffprobe -show_streams as one key=value map per stream. */
    public static List<Map<String, String>> streams(Path file) throws IOException, InterruptedException {
        String s = new String(run(List.of("ffprobe", "-v", "error", "-show_streams", file.toString())));
        List<Map<String, String>> result = new ArrayList<>();
        Map<String, String> cur = null;
        for (String line : s.split("\n")) {
            line = line.trim();
            if (line.equals("[STREAM]")) {
                cur = new LinkedHashMap<>();
                result.add(cur);
            } else if (cur != null && line.contains("=") && !line.startsWith("[")) {
                int i = line.indexOf('=');
                cur.putIfAbsent(line.substring(0, i), line.substring(i + 1));
            }
        }
        return result;
    }

    public static Map<String, String> stream(Path file, String codecType) throws IOException, InterruptedException {
        return streams(file).stream()
                .filter(m -> codecType.equals(m.get("codec_type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + codecType + " stream in " + file));
    }

    /** Video packet pts times in seconds (ffprobe), in presentation order. */
    public static List<Double> frameTimes(Path file) throws IOException, InterruptedException {
        String s = new String(run(List.of(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "frame=pts_time",
                "-of",
                "csv=p=0",
                file.toString())));
        List<Double> t = new ArrayList<>();
        for (String line : s.split("\n")) {
            line = line.trim().replace(",", "");
            if (!line.isEmpty() && !line.equals("N/A")) {
                t.add(Double.parseDouble(line));
            }
        }
        return t;
    }

    /** The first frame decoded by the ffmpeg CLI (autorotated) as packed RGB24. */
    public static byte[] firstFrameRgb(Path file) throws IOException, InterruptedException {
        return run(List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                file.toString(),
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-"));
    }
}

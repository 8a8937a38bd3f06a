package dev.segment.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ffmpeg and ffprobe command-line tools (Debian package ffmpeg), run with argument lists, never a shell: they
 * make test clips (from the shared real videos or FFmpeg's test sources) and are the independent judge of what the
 * project's readers and writers did.
 */
public final class Ffmpeg {
    private Ffmpeg() {}

    /** What ffprobe says about a file; frame counts are from decoding ({@code -count_frames}). */
    public record Probe(
            String format,
            int width,
            int height,
            double fps,
            long frames,
            String videoCodec,
            int videoStreams,
            String audioCodec,
            long audioPackets,
            double durationSeconds) {
        public boolean hasAudio() {
            return audioCodec != null;
        }
    }

    /** {@code ffmpeg -nostdin -y -v error ARGS... OUT}. */
    public static Path ffmpeg(Path out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        run(cmd);
        return out;
    }

    /** {@code count} frames of {@code video} from frame {@code start}, re-encoded with x264 (ultrafast). */
    public static Path cut(Path video, int start, int count, Path out, String... filters)
            throws IOException, InterruptedException {
        String trim = "trim=start_frame=" + start + ":end_frame=" + (start + count) + ",setpts=PTS-STARTPTS";
        String vf = filters.length == 0 ? trim : trim + "," + String.join(",", filters);
        return ffmpeg(
                out,
                "-i",
                video.toString(),
                "-vf",
                vf,
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p");
    }

    /**
     * {@code frames} frames of {@code video} from {@code startSeconds}, scaled to {@code width}x{@code height}, H.264
     * without audio.
     */
    public static Path clip(Path video, double startSeconds, int frames, int width, int height, Path out)
            throws IOException, InterruptedException {
        return ffmpeg(
                out,
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
                "yuv420p");
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

    /**
     * {@code frames} frames of real footage (the people video from frame 80) as H.264 in MP4, key frame every 10,
     * with 2 KB of seeded random bytes written over the start of the first key frame and at 20, 50 and 80 % of the
     * file: the container and its index are intact, the slices are not (FFmpeg's decoder reports corrupted
     * macroblocks and conceals them, the first group of pictures is lost).
     */
    public static Path corruptH264(Path dir, int frames) throws IOException, InterruptedException {
        Path clean = ffmpeg(
                dir.resolve("clean-for-damage.mp4"),
                "-i",
                Shared.peopleVideo().toString(),
                "-vf",
                "trim=start_frame=80:end_frame=" + (80 + frames) + ",setpts=PTS-STARTPTS",
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                "10",
                "-movflags",
                "+faststart");
        byte[] bytes = java.nio.file.Files.readAllBytes(clean);
        int mdat = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("mdat") + 4;
        java.util.Random random = new java.util.Random(7);
        for (int start : new int[] {mdat + 64, bytes.length / 5, bytes.length / 2, bytes.length * 4 / 5}) {
            for (int i = start; i < start + 2048; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
        }
        return java.nio.file.Files.write(dir.resolve("corrupt-h264.mp4"), bytes);
    }

    /** What {@code ffmpeg -v error -i FILE -f null -} prints: the decoder's complaints about a damaged stream. */
    public static String decodeErrors(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-")
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    public static Probe probe(Path file) throws IOException, InterruptedException {
        String text = new String(
                run(List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-count_packets",
                        "-show_entries",
                        "format=format_name,duration:stream=index,codec_type,codec_name,width,height,avg_frame_rate,"
                                + "r_frame_rate,nb_read_frames,nb_read_packets",
                        "-of",
                        "compact",
                        file.toString())),
                StandardCharsets.UTF_8);
        String format = null;
        double duration = 0;
        int w = 0;
        int h = 0;
        double fps = 0;
        long frames = -1;
        String video = null;
        String audio = null;
        long audioPackets = 0;
        int videoStreams = 0;
        for (String line : text.split("\\R")) {
            Map<String, String> f = fields(line);
            if (line.startsWith("format|")) {
                format = f.get("format_name");
                duration = number(f.get("duration"));
            } else if ("video".equals(f.get("codec_type"))) {
                if (videoStreams++ == 0) {
                    video = f.get("codec_name");
                    w = Integer.parseInt(f.get("width"));
                    h = Integer.parseInt(f.get("height"));
                    fps = rate(f.get("avg_frame_rate"));
                    if (fps <= 0) {
                        fps = rate(f.get("r_frame_rate"));
                    }
                    frames = Long.parseLong(f.get("nb_read_frames"));
                }
            } else if ("audio".equals(f.get("codec_type")) && audio == null) {
                audio = f.get("codec_name");
                audioPackets = Long.parseLong(f.get("nb_read_packets"));
            }
        }
        return new Probe(format, w, h, fps, frames, video, videoStreams, audio, audioPackets, duration);
    }

    /** Frames of the first video stream counted by decoding ({@code ffprobe -count_frames}). */
    public static long countFrames(Path file) throws IOException, InterruptedException {
        String s = new String(
                        run(List.of(
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
                                file.toString())),
                        StandardCharsets.UTF_8)
                .trim();
        return Long.parseLong(s.replace(",", ""));
    }

    /** "width,height,frames" of the first video stream, frames counted by decoding, e.g. "320,240,50". */
    public static String videoSummary(Path file) throws IOException, InterruptedException {
        return new String(
                        run(List.of(
                                "ffprobe",
                                "-v",
                                "error",
                                "-count_frames",
                                "-select_streams",
                                "v:0",
                                "-show_entries",
                                "stream=width,height,nb_read_frames",
                                "-of",
                                "csv=p=0",
                                file.toString())),
                        StandardCharsets.UTF_8)
                .trim();
    }

    /** {@code ffprobe -show_streams} as one key=value map per stream. */
    public static List<Map<String, String>> streams(Path file) throws IOException, InterruptedException {
        String s = new String(
                run(List.of("ffprobe", "-v", "error", "-show_streams", file.toString())), StandardCharsets.UTF_8);
        List<Map<String, String>> result = new ArrayList<>();
        Map<String, String> cur = null;
        for (String line : s.split("\n")) {
            line = line.trim();
            if (line.equals("[STREAM]")) {
                cur = new java.util.LinkedHashMap<>();
                result.add(cur);
            } else if (cur != null && line.contains("=") && !line.startsWith("[")) {
                int i = line.indexOf('=');
                cur.putIfAbsent(line.substring(0, i), line.substring(i + 1));
            }
        }
        return result;
    }

    /** The first stream of {@code codecType} ("video", "audio") as ffprobe shows it. */
    public static Map<String, String> stream(Path file, String codecType) throws IOException, InterruptedException {
        return streams(file).stream()
                .filter(m -> codecType.equals(m.get("codec_type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + codecType + " stream in " + file));
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

    /** Presentation times (seconds) of the decoded video frames, in order. */
    public static List<Double> frameTimes(Path file) throws IOException, InterruptedException {
        String text = new String(
                run(List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "frame=pts_time",
                        "-of",
                        "csv=p=0",
                        file.toString())),
                StandardCharsets.UTF_8);
        List<Double> times = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = line.split(",")[0].strip();
            if (!t.isEmpty() && !t.equals("N/A")) {
                times.add(Double.parseDouble(t));
            }
        }
        return times;
    }

    /**
     * Decodes the video to packed RGB24 frames (ffmpeg's decoder and scaler, independent of the engine's), optionally
     * only frames {@code [start, start + count)}.
     */
    public static List<byte[]> rgbFrames(Path file, int width, int height, int start, int count)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString()));
        if (count > 0) {
            cmd.addAll(List.of("-vf", "trim=start_frame=" + start + ":end_frame=" + (start + count)));
        }
        cmd.addAll(List.of("-an", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
        byte[] all = run(cmd);
        int size = width * height * 3;
        if (all.length % size != 0) {
            throw new IOException(file + ": " + all.length + " bytes of RGB is not a whole number of " + width + "x"
                    + height + " frames");
        }
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < all.length; off += size) {
            frames.add(java.util.Arrays.copyOfRange(all, off, off + size));
        }
        return frames;
    }

    /** Runs a command; returns stdout, fails with its stderr when it exits non-zero. */
    public static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "ffmpeg-stderr");
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
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> map = new HashMap<>();
        for (String part : line.split("\\|")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }

    private static double rate(String r) {
        if (r == null || !r.contains("/")) {
            return 0;
        }
        String[] nd = r.split("/");
        double d = Double.parseDouble(nd[1]);
        return d == 0 ? 0 : Double.parseDouble(nd[0]) / d;
    }

    private static double number(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package dev.segment.codecs.preview;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Counts the decodable video frames of a file with the system's ffprobe (an independent reader). */
final class Ffprobe {
    private Ffprobe() {}

    /** "width,height,frames" of the first video stream, e.g. "320,240,50". */
    static String videoSummary(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
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
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffprobe failed on " + file + ": " + out);
        }
        return out;
    }

    /** Decoded video frames that carry a presentation time. */
    static int timedFrames(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "frame=pts_time",
                        "-of",
                        "csv=p=0",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffprobe failed on " + file + ": " + out);
        }
        return (int) out.lines()
                .map(String::trim)
                .filter(l -> l.matches("[0-9.]+,?"))
                .count();
    }

    static int frames(Path file) throws IOException, InterruptedException {
        List<String> parts = List.of(videoSummary(file).split(","));
        return Integer.parseInt(parts.get(parts.size() - 1).trim());
    }
}

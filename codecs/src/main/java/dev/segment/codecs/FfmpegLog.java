package dev.segment.codecs;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own console output (stream dumps, encoder statistics) for command-line use: errors only by default, the
 * full log when the user asks for detail. Process-wide by FFmpeg's design, so only the CLI calls it.
 */
public final class FfmpegLog {
    private FfmpegLog() {
    }

    public static void configure(boolean verbose) {
        avutil.av_log_set_level(verbose ? avutil.AV_LOG_INFO : avutil.AV_LOG_ERROR);
    }
}

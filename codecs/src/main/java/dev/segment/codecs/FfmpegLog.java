package dev.segment.codecs;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own messages (stream dumps, protocol and decoder errors) through SLF4J, logger {@code ffmpeg}: one log
 * event per line, at the matching level, {@code [tcp @ 0x55d0...]} shortened to {@code [tcp]}, credentials removed
 * ({@link Redact}). FFmpeg drops messages above its level before they reach Java: errors only by default, up to
 * FFmpeg's info level when the user asks for detail. Process-wide by FFmpeg's design, so only an application (the
 * CLI, a job's entry point) calls {@link #configure}.
 */
public final class FfmpegLog {
    static final Logger LOG = LoggerFactory.getLogger("ffmpeg");
    private static final Pattern CONTEXT_ADDRESS = Pattern.compile(" @ 0x[0-9a-fA-F]+\\]");
    /** Held for the life of the process: FFmpeg keeps only the native entry point of this object. */
    private static Callback installed;

    private FfmpegLog() {}

    public static synchronized void configure(boolean verbose) {
        avutil.av_log_set_level(verbose ? avutil.AV_LOG_INFO : avutil.AV_LOG_ERROR);
        if (installed == null) {
            installed = new Callback();
            avutil.setLogCallback(installed);
        }
    }

    /** One line of FFmpeg output, without its newline, as a log event (package-private for tests). */
    static void emit(int level, String line) {
        String text =
                Redact.redact(CONTEXT_ADDRESS.matcher(line).replaceAll("]")).stripTrailing();
        if (text.isBlank()) {
            return;
        }
        if (level <= avutil.AV_LOG_ERROR) {
            LOG.error(text);
        } else if (level <= avutil.AV_LOG_WARNING) {
            LOG.warn(text);
        } else if (level <= avutil.AV_LOG_INFO) {
            LOG.info(text);
        } else if (level <= avutil.AV_LOG_DEBUG) {
            LOG.debug(text);
        } else {
            LOG.trace(text);
        }
    }

    /**
     * Called by FFmpeg on its own threads with formatted pieces of lines (a stream dump arrives in several calls per
     * line): each thread's pieces are joined until the newline.
     */
    private static final class Callback extends LogCallback {
        private final ThreadLocal<StringBuilder> pending = ThreadLocal.withInitial(StringBuilder::new);

        @Override
        public void call(int level, BytePointer message) {
            try {
                if (level > avutil.av_log_get_level()) {
                    return;
                }
                StringBuilder line = pending.get();
                line.append(message.getString(StandardCharsets.UTF_8));
                int newline;
                while ((newline = line.indexOf("\n")) >= 0) {
                    emit(level, line.substring(0, newline));
                    line.delete(0, newline + 1);
                }
            } catch (Throwable t) { // nothing may propagate into FFmpeg's C code
                pending.remove();
            }
        }
    }
}

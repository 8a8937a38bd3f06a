package dev.segment.codecs.internal;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg error codes (Linux errno values negated) and their messages. */
public final class FfmpegErrors {
    public static final int EPERM = -1;
    public static final int ENOENT = -2;
    public static final int EAGAIN = -11;
    public static final int EACCES = -13;
    public static final int EISDIR = -21;
    public static final int ENOSPC = -28;
    public static final int EROFS = -30;
    public static final int ETIMEDOUT = -110;

    private FfmpegErrors() {}

    /** FFmpeg's text for an error code, with the code: "Invalid data found when processing input (-1094995529)". */
    public static String describe(int error) {
        byte[] buf = new byte[256];
        String text;
        if (av_strerror(error, buf, buf.length) == 0) {
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            text = new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        } else {
            text = "unknown error";
        }
        return text + " (" + error + ")";
    }
}

package dev.segment.codecs;

import java.util.regex.Pattern;

/**
 * Removes credentials from source names before they reach a log line, an exception message, a metric label or
 * {@link dev.segment.codecs.VideoInfo#description()}.
 *
 * <p>{@code rtsp://admin:secret@cam/stream} becomes {@code rtsp://***@cam/stream}; query parameters that commonly
 * carry secrets ({@code password}, {@code pass}, {@code pwd}, {@code token}, {@code key}, {@code secret},
 * {@code auth}, {@code signature}) keep their name and lose their value. Works on free text too (an FFmpeg error
 * message that echoes the URL), replacing every URL with user info it finds.
 */
public final class Redact {
    /** scheme://userinfo@ : userinfo is everything up to the last '@' before the host part ends. */
    private static final Pattern USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s?#]*@");

    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pass|pwd|token|access_token|key|apikey|api_key|secret|auth|signature|sig)=)"
                    + "[^&;#\\s]*");

    private Redact() {}

    /** The text with user info and secret query values of every URL in it replaced by {@code ***}; null stays null. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO.matcher(text).replaceAll("$1***@");
        return SECRET_PARAM.matcher(out).replaceAll("$1***");
    }

    /** True when {@code text} holds something {@link #redact} would remove. */
    public static boolean hasSecrets(String text) {
        return text != null && !redact(text).equals(text);
    }
}

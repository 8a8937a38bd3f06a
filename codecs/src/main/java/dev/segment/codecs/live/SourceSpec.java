package dev.segment.codecs.live;

import dev.segment.codecs.Redact;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A source string resolved into what FFmpeg needs: the input name, the input format (null: probe) and the demuxer
 * options, plus a redacted description that is safe to print.
 *
 * <p>Accepted forms: {@code rtsp://[user:pass@]host[:port]/path}, {@code /dev/videoN}, a bare webcam index
 * {@code N}, {@code lavfi:GRAPH} (always paced in real time, like a camera), any other {@code scheme://} URL FFmpeg
 * reads, {@code file:PATH}, a plain path, or {@code -} for standard input.
 */
public record SourceSpec(
        SourceKind kind,
        String input,
        String format,
        Map<String, String> ffmpegOptions,
        String description,
        boolean live) {
    private static final Pattern INDEX = Pattern.compile("\\d{1,3}");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*", Pattern.DOTALL);

    public SourceSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(input, "input");
        ffmpegOptions = Map.copyOf(ffmpegOptions);
        Objects.requireNonNull(description, "description");
    }

    /** Resolves {@code source} with {@code options}; the message of a bad source is redacted. */
    public static SourceSpec parse(String source, LiveOptions options) {
        Objects.requireNonNull(options, "options");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must name a file, a URL, /dev/videoN or a webcam index, got "
                    + (source == null ? "null" : "\"" + source + "\""));
        }
        String s = source.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        Map<String, String> opts = new LinkedHashMap<>();
        long readUs = options.readTimeoutMs() * 1000;
        long openUs = options.openTimeoutMs() * 1000;
        SourceKind kind;
        String input = s;
        String format = null;
        if (s.equals("-")) {
            // standard input, a pipe from another program, as FFmpeg's own command line reads it
            opts.putAll(options.ffmpegOptions());
            return new SourceSpec(SourceKind.FILE, "pipe:0", null, opts, "standard input", options.realtime());
        }
        if (INDEX.matcher(s).matches()) {
            kind = SourceKind.WEBCAM;
            input = "/dev/video" + Integer.parseInt(s);
        } else if (lower.startsWith("/dev/video")) {
            kind = SourceKind.WEBCAM;
        } else if (lower.startsWith("lavfi:")) {
            kind = SourceKind.LAVFI;
            input = s.substring("lavfi:".length());
            if (input.isBlank()) {
                throw new IllegalArgumentException("lavfi: source needs a filter graph, e.g. lavfi:testsrc2=rate=25");
            }
            // A filter graph stands in for a camera: always paced at its frame rate.
            input = input + ",realtime";
            format = "lavfi";
        } else if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
            kind = SourceKind.RTSP;
            opts.put("rtsp_transport", options.transport().configName());
            // FFmpeg >= 5: "timeout" is the RTSP socket I/O timeout in microseconds (formerly "stimeout"). It is
            // only a backstop: FfmpegSource's interrupt callback enforces the open and read deadlines exactly.
            opts.put("timeout", Long.toString(Math.max(readUs, openUs)));
            opts.put("max_delay", "500000");
            // Probing reads the stream for up to FFmpeg's default 5 s, until it is sure of the frame rate (1.6 s on
            // our test server): frames read meanwhile are stale by the time the pipeline sees them, and are dropped.
            // Half a second finds the size and rate (the parameter sets come in the SDP) and connects 0.8 s sooner;
            // when it finds no frame size (parameter sets only in-band, at the next keyframe) the opener probes on.
            opts.put("analyzeduration", "500000");
        } else if (lower.startsWith("file:")) {
            kind = SourceKind.FILE;
            input = s.substring("file:".length());
        } else if (SCHEME.matcher(s).matches()) {
            kind = SourceKind.URL;
            // rw_timeout covers every read and write of the protocol; timeout is the socket-level one for
            // http/tcp/udp (microseconds for all of them).
            opts.put("rw_timeout", Long.toString(readUs));
            opts.put("timeout", Long.toString(Math.max(readUs, openUs)));
            if (lower.startsWith("http")) {
                opts.put("reconnect", "0");
            }
        } else {
            kind = SourceKind.FILE;
        }
        if (kind == SourceKind.WEBCAM) {
            format = "v4l2";
            if (options.videoSize() != null) {
                opts.put("video_size", options.videoSize());
            }
            if (options.frameRate() > 0) {
                opts.put("framerate", Double.toString(options.frameRate()));
            }
        }
        opts.putAll(options.ffmpegOptions());
        boolean live = kind.live() || options.realtime();
        String description = kind == SourceKind.WEBCAM ? input : kind == SourceKind.LAVFI ? s : Redact.redact(s);
        return new SourceSpec(kind, input, format, opts, description, live);
    }

    @Override
    public String toString() {
        // ffmpegOptions may hold secrets passed by the user: never printed.
        return "SourceSpec[" + kind + " " + description + (format == null ? "" : " format=" + format) + "]";
    }
}

package dev.segment.codecs;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@link FfmpegSource} opens and paces its input. Immutable; start from {@link #forFile()} or {@link #forLive()} and
 * change fields with the {@code with...} methods.
 *
 * @param format               FFmpeg input format to force ("v4l2", "lavfi", "mjpeg", "rtsp"...), or null to probe
 * @param options              demuxer and protocol options passed to {@code avformat_open_input}
 *                             (e.g. "rtsp_transport"="tcp", "video_size"="640x480", "framerate"="30")
 * @param openTimeout          longest time opening may take (probing included); {@link Duration#ZERO} = no limit
 * @param readTimeout          longest time one {@link FrameSource#read} may block; {@link Duration#ZERO} = no limit
 * @param realtime             deliver frames no faster than their timestamps (a file standing in for a camera)
 * @param startFrame           0-based index of the first frame to deliver (exact: seek, then decode and drop)
 * @param live                 reported in {@link VideoInfo#live()}: frames may be dropped downstream
 * @param audio                decode the audio stream into {@link VideoFrame#audio()}
 * @param maxConsecutiveErrors corrupt packets tolerated in a row before reading fails with
 *                             {@link SourceException.Kind#DECODE}; isolated corrupt frames are skipped and counted
 * @param decoderThreads       decoder threads, 0 = FFmpeg chooses
 */
public record SourceOptions(
        String format,
        Map<String, String> options,
        Duration openTimeout,
        Duration readTimeout,
        boolean realtime,
        long startFrame,
        boolean live,
        boolean audio,
        int maxConsecutiveErrors,
        int decoderThreads) {
    public SourceOptions {
        if (format != null && format.isBlank()) {
            throw new IllegalArgumentException(
                    "format must be null (probe) or a FFmpeg input format name, got \"" + format + "\"");
        }
        options = Map.copyOf(options == null ? Map.of() : options);
        openTimeout = checkDuration("openTimeout", openTimeout);
        readTimeout = checkDuration("readTimeout", readTimeout);
        if (startFrame < 0) {
            throw new IllegalArgumentException("startFrame must be >= 0, got " + startFrame);
        }
        if (maxConsecutiveErrors < 1) {
            throw new IllegalArgumentException("maxConsecutiveErrors must be >= 1, got " + maxConsecutiveErrors);
        }
        if (decoderThreads < 0) {
            throw new IllegalArgumentException("decoderThreads must be >= 0, got " + decoderThreads);
        }
    }

    private static Duration checkDuration(String name, Duration d) {
        if (d == null) {
            return Duration.ZERO;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    /** Files: probe the format, no timeouts, as fast as decoding goes, with audio. */
    public static SourceOptions forFile() {
        return new SourceOptions(null, Map.of(), Duration.ZERO, Duration.ZERO, false, 0, false, true, 50, 0);
    }

    /** Cameras and network streams: 10 s to open, 5 s per read, marked live. */
    public static SourceOptions forLive() {
        return new SourceOptions(
                null, Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(5), false, 0, true, true, 50, 0);
    }

    public SourceOptions withFormat(String newFormat) {
        return new SourceOptions(
                newFormat,
                options,
                openTimeout,
                readTimeout,
                realtime,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    /** Adds or replaces one demuxer/protocol option. */
    public SourceOptions withOption(String key, String value) {
        if (key == null || key.isBlank() || value == null) {
            throw new IllegalArgumentException("option key and value must be non-empty, got " + key + "=" + value);
        }
        Map<String, String> m = new TreeMap<>(options);
        m.put(key, value);
        return new SourceOptions(
                format,
                m,
                openTimeout,
                readTimeout,
                realtime,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    /** These options without FFmpeg option {@code key} (FFmpeg's default applies to it). */
    public SourceOptions withoutOption(String key) {
        Map<String, String> m = new TreeMap<>(options);
        m.remove(key);
        return new SourceOptions(
                format,
                m,
                openTimeout,
                readTimeout,
                realtime,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withOpenTimeout(Duration d) {
        return new SourceOptions(
                format,
                options,
                d,
                readTimeout,
                realtime,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withReadTimeout(Duration d) {
        return new SourceOptions(
                format,
                options,
                openTimeout,
                d,
                realtime,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withRealtime(boolean on) {
        return new SourceOptions(
                format,
                options,
                openTimeout,
                readTimeout,
                on,
                startFrame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withStartFrame(long frame) {
        return new SourceOptions(
                format,
                options,
                openTimeout,
                readTimeout,
                realtime,
                frame,
                live,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withLive(boolean on) {
        return new SourceOptions(
                format,
                options,
                openTimeout,
                readTimeout,
                realtime,
                startFrame,
                on,
                audio,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withAudio(boolean on) {
        return new SourceOptions(
                format,
                options,
                openTimeout,
                readTimeout,
                realtime,
                startFrame,
                live,
                on,
                maxConsecutiveErrors,
                decoderThreads);
    }

    public SourceOptions withMaxConsecutiveErrors(int n) {
        return new SourceOptions(
                format, options, openTimeout, readTimeout, realtime, startFrame, live, audio, n, decoderThreads);
    }

    public SourceOptions withDecoderThreads(int n) {
        return new SourceOptions(
                format, options, openTimeout, readTimeout, realtime, startFrame, live, audio, maxConsecutiveErrors, n);
    }
}

package dev.segment.codecs;

import java.util.Set;

/**
 * How {@link VideoFileSink} encodes: H.264 (libx264, yuv420p) in MP4 or MKV.
 *
 * @param preset          x264 preset, "ultrafast" .. "veryslow"
 * @param crf             x264 constant rate factor 0..51 (lower = better; 23 is x264's default)
 * @param content         which picture of each {@link SegmentedFrame} to encode
 * @param fragmentMillis  MP4: longest fragment (and MKV: cluster) duration; a killed process loses at most this much
 *                        plus the encoder's lookahead
 * @param audio           re-encode the input's audio as AAC when the source has audio
 * @param audioBitrate    AAC bit rate in bits per second
 */
public record VideoSinkOptions(
        String preset, int crf, Content content, int fragmentMillis, boolean audio, int audioBitrate) {
    private static final Set<String> PRESETS = Set.of(
            "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo");

    /** The picture a sink encodes. */
    public enum Content {
        /** The input with the class colours blended over it. */
        OVERLAY,
        /** The decoded input unchanged (transcoding, tests). */
        INPUT
    }

    public VideoSinkOptions {
        if (preset == null || !PRESETS.contains(preset)) {
            throw new IllegalArgumentException("preset must be one of " + PRESETS + ", got \"" + preset + "\"");
        }
        if (crf < 0 || crf > 51) {
            throw new IllegalArgumentException("crf must be in 0..51, got " + crf);
        }
        if (content == null) {
            throw new IllegalArgumentException("content must be OVERLAY or INPUT, got null");
        }
        if (fragmentMillis < 10 || fragmentMillis > 60_000) {
            throw new IllegalArgumentException("fragmentMillis must be in 10..60000, got " + fragmentMillis);
        }
        if (audioBitrate < 8_000 || audioBitrate > 512_000) {
            throw new IllegalArgumentException("audioBitrate must be in 8000..512000, got " + audioBitrate);
        }
    }

    /** veryfast, crf 23, overlay, 1 s fragments, AAC 128 kb/s. */
    public static VideoSinkOptions defaults() {
        return new VideoSinkOptions("veryfast", 23, Content.OVERLAY, 1000, true, 128_000);
    }

    public VideoSinkOptions withPreset(String p) {
        return new VideoSinkOptions(p, crf, content, fragmentMillis, audio, audioBitrate);
    }

    public VideoSinkOptions withCrf(int c) {
        return new VideoSinkOptions(preset, c, content, fragmentMillis, audio, audioBitrate);
    }

    public VideoSinkOptions withContent(Content c) {
        return new VideoSinkOptions(preset, crf, c, fragmentMillis, audio, audioBitrate);
    }

    public VideoSinkOptions withFragmentMillis(int ms) {
        return new VideoSinkOptions(preset, crf, content, ms, audio, audioBitrate);
    }

    public VideoSinkOptions withAudio(boolean on) {
        return new VideoSinkOptions(preset, crf, content, fragmentMillis, on, audioBitrate);
    }
}

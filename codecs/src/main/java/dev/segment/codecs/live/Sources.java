package dev.segment.codecs.live;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.SourceOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Picks the source for a string: a file, an RTSP camera, a webcam ({@code /dev/videoN} or an index), a lavfi graph
 * or any FFmpeg URL (see {@link SourceSpec}). Every kind is read by {@link FfmpegSource}, whose interrupt callback
 * enforces the open and read timeouts inside FFmpeg and lets {@code close()} unblock a read. Live sources come
 * wrapped in a {@link ReconnectingSource} that follows {@link LiveOptions#reconnect()}; files are read once.
 */
public final class Sources {
    private Sources() {}

    /** An unopened source for {@code source}; call {@link FrameSource#open()} on the reading thread. */
    public static FrameSource create(String source, LiveOptions options, SourceListener listener) {
        return create(SourceSpec.parse(source, options), options, listener);
    }

    /** As {@link #create(String, LiveOptions, SourceListener)} for a parsed spec. */
    public static FrameSource create(SourceSpec spec, LiveOptions options, SourceListener listener) {
        return create(spec, options, 0, listener);
    }

    /**
     * As {@link #create(SourceSpec, LiveOptions, SourceListener)}, a file read from its frame {@code startFrame}
     * (0-based; a live input has no earlier frames to skip, so anything but 0 is refused for one).
     */
    public static FrameSource create(SourceSpec spec, LiveOptions options, long startFrame, SourceListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        if (startFrame != 0 && spec.kind() != SourceKind.FILE) {
            throw new IllegalArgumentException("a start frame is for files; " + spec.description() + " is live");
        }
        if (spec.kind() == SourceKind.WEBCAM && !java.nio.file.Files.exists(java.nio.file.Path.of(spec.input()))) {
            throw new IllegalArgumentException("no webcam at " + spec.input() + " (no such device)");
        }
        SourceOptions ffmpeg = sourceOptions(spec, options);
        if (spec.kind() == SourceKind.FILE) {
            return new FfmpegSource(spec.input(), ffmpeg.withStartFrame(startFrame));
        }
        return new ReconnectingSource(
                () -> new FfmpegSource(spec.input(), ffmpeg), spec.description(), options.reconnect(), listener);
    }

    /** The FfmpegSource options for a spec: files keep audio and have no timeouts; live inputs the reverse. */
    static SourceOptions sourceOptions(SourceSpec spec, LiveOptions options) {
        SourceOptions o;
        if (spec.kind() == SourceKind.FILE) {
            o = SourceOptions.forFile().withRealtime(options.realtime()).withLive(spec.live());
        } else {
            o = SourceOptions.forLive()
                    .withAudio(false)
                    .withOpenTimeout(Duration.ofMillis(options.openTimeoutMs()))
                    .withReadTimeout(Duration.ofMillis(options.readTimeoutMs()));
        }
        if (spec.format() != null) {
            o = o.withFormat(spec.format());
        }
        for (var e : spec.ffmpegOptions().entrySet()) {
            o = o.withOption(e.getKey(), e.getValue());
        }
        return o;
    }
}

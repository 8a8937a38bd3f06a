package dev.segment.codecs.live;

import dev.segment.codecs.FrameSource;
import java.util.Objects;

/**
 * Picks the source for a string: a file, an RTSP camera, a webcam ({@code /dev/videoN} or an index), a lavfi graph
 * or any FFmpeg URL (see {@link SourceSpec}). Live sources come wrapped in a {@link ReconnectingSource} that follows
 * {@link LiveOptions#reconnect()}; files are read once.
 */
public final class Sources {
    private Sources() {
    }

    /** An unopened source for {@code source}; call {@link FrameSource#open()} on the reading thread. */
    public static FrameSource create(String source, LiveOptions options, SourceListener listener) {
        SourceSpec spec = SourceSpec.parse(source, options);
        return create(spec, options, listener);
    }

    /** As {@link #create(String, LiveOptions, SourceListener)} for a parsed spec. */
    public static FrameSource create(SourceSpec spec, LiveOptions options, SourceListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        if (!spec.kind().live()) {
            return new FfmpegLiveSource(spec, options);
        }
        return new ReconnectingSource(() -> new FfmpegLiveSource(spec, options), spec.description(),
                options.reconnect(), listener);
    }
}

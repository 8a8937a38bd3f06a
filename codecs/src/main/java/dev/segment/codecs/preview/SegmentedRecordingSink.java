package dev.segment.codecs.preview;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VideoSinkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Records into a new file every {@code segmentSeconds} of presentation time: {@code prefix-00000.mp4},
 * {@code prefix-00001.mp4}... Each segment is a complete {@link VideoFileSink} file (its own encoder, starting on a
 * key frame at time 0), so every file plays on its own and a crash loses at most the current segment's last
 * fragment.
 */
public final class SegmentedRecordingSink implements FrameSink {
    private final Path directory;
    private final String prefix;
    private final String extension;
    private final long segmentMicros;
    private final VideoSinkOptions options;
    private final List<Path> files = new ArrayList<>();
    private VideoInfo info;
    private VideoFileSink current;
    private long segmentStart;
    private int segmentWidth;
    private int segmentHeight;
    private boolean closed;

    /**
     * @param directory      where the files go (created if missing)
     * @param prefix         file name prefix (letters, digits, '-', '_', '.')
     * @param extension      "mp4" or "mkv"
     * @param segmentSeconds length of each file in seconds of video, &gt; 0
     */
    public SegmentedRecordingSink(
            Path directory, String prefix, String extension, double segmentSeconds, VideoSinkOptions options) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "segment prefix must be letters, digits, '.', '-' or '_', got " + prefix);
        }
        String ext = extension == null ? "" : extension.toLowerCase(Locale.ROOT);
        if (!ext.equals("mp4") && !ext.equals("mkv")) {
            throw new IllegalArgumentException("segment extension must be mp4 or mkv, got " + extension);
        }
        if (!(segmentSeconds > 0) || Double.isInfinite(segmentSeconds)) {
            throw new IllegalArgumentException("segmentSeconds must be > 0, got " + segmentSeconds);
        }
        this.prefix = prefix;
        this.extension = ext;
        this.segmentMicros = Math.round(segmentSeconds * 1e6);
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void open(VideoInfo videoInfo) throws IOException {
        if (info != null || closed) {
            throw new IllegalStateException("segmented recording can be opened once");
        }
        Files.createDirectories(directory);
        info = videoInfo;
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (info == null) {
            throw new IllegalStateException("write() before open()");
        }
        if (current != null
                && (frame.ptsMicros() - segmentStart >= segmentMicros
                        || frame.width() != segmentWidth
                        || frame.height() != segmentHeight)) {
            // A new size (after a camera reconnect) starts a new file: a stream keeps one size.
            current.close();
            current = null;
        }
        if (current == null) {
            Path file = directory.resolve(String.format(Locale.ROOT, "%s-%05d.%s", prefix, files.size(), extension));
            VideoInfo segmentInfo = new VideoInfo(
                    frame.width(),
                    frame.height(),
                    info.frameRate(),
                    -1,
                    info.audioChannels(),
                    info.sampleRate(),
                    info.live(),
                    info.description());
            VideoFileSink sink = new VideoFileSink(file, options);
            sink.open(segmentInfo);
            current = sink;
            files.add(file);
            segmentStart = frame.ptsMicros();
            segmentWidth = frame.width();
            segmentHeight = frame.height();
        }
        current.write(frame);
    }

    /** The files started so far, in order. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}

package dev.segment.codecs;

import java.io.IOException;

/**
 * Where segmented frames go: a video file, masks, a stream, a preview window.
 *
 * <p>Called from one thread: {@link #open(VideoInfo)}, then {@link #write(SegmentedFrame)} per frame in order, then
 * {@link #close()}, which finalizes the output (flushes encoders, writes trailers) and is safe to call twice. A sink
 * writes so that a process killed at any moment leaves a readable output up to the last written frame.
 */
public interface FrameSink extends AutoCloseable {

    void open(VideoInfo info) throws IOException;

    void write(SegmentedFrame frame) throws IOException;

    @Override
    void close() throws IOException;
}

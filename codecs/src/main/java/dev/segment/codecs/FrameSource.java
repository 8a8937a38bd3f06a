package dev.segment.codecs;

import java.io.IOException;

/**
 * Where frames come from: a file, an RTSP camera, a webcam or any FFmpeg URL.
 *
 * <p>One thread calls {@link #open()} then {@link #read(VideoFrame)} until it returns false. Implementations copy
 * each decoded picture into the caller's frame (they never hand out their decoder's own buffers) and convert it to
 * packed RGB24. {@link #close()} may be called from another thread to unblock a pending read, and is safe to call
 * twice.
 */
public interface FrameSource extends AutoCloseable {

    /** Opens the stream and returns what it knows about it. Errors name the source and the cause. */
    VideoInfo open() throws IOException;

    /**
     * Decodes the next video frame into {@code frame} (pixels, size, timestamp, and the audio decoded since the
     * previous video frame). Returns false at the end of the stream.
     */
    boolean read(VideoFrame frame) throws IOException;

    @Override
    void close() throws IOException;
}

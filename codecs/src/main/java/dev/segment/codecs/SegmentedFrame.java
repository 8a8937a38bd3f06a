package dev.segment.codecs;

import java.nio.ByteBuffer;

/**
 * A frame on its way out of the pipeline: the decoded input, its per-pixel class labels and the overlay drawn from
 * them. Views onto buffers owned by the pipeline's ring slot: valid only during {@link FrameSink#write}; a sink that
 * needs the data later copies it.
 */
public interface SegmentedFrame {
    /** 0-based index of this frame in the output (no gaps for files; live drops are not numbered). */
    long index();

    /** Presentation time in microseconds (monotonic). */
    long ptsMicros();

    int width();

    int height();

    /** The decoded input frame (pixels and the audio that came with it). */
    VideoFrame input();

    /** Packed RGB24, {@code width*height*3} bytes: the input with the class colours blended over it. */
    ByteBuffer overlay();

    /** One byte per pixel, row-major, value = PASCAL VOC class id 0..20. */
    ByteBuffer labels();
}

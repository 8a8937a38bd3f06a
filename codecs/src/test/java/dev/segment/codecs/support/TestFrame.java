package dev.segment.codecs.support;

import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoFrame;
import java.nio.ByteBuffer;

/** A mutable {@link SegmentedFrame} over a decoded {@link VideoFrame}: overlay = input unless set, labels given. */
public final class TestFrame implements SegmentedFrame {
    private final VideoFrame input;
    private long index;
    private ByteBuffer overlay;
    private ByteBuffer labels;

    public TestFrame(VideoFrame input) {
        this.input = input;
    }

    public TestFrame set(long newIndex, ByteBuffer newOverlay, ByteBuffer newLabels) {
        this.index = newIndex;
        this.overlay = newOverlay;
        this.labels = newLabels;
        return this;
    }

    @Override
    public long index() {
        return index;
    }

    @Override
    public long ptsMicros() {
        return input.ptsMicros();
    }

    @Override
    public int width() {
        return input.width();
    }

    @Override
    public int height() {
        return input.height();
    }

    @Override
    public VideoFrame input() {
        return input;
    }

    @Override
    public ByteBuffer overlay() {
        return overlay != null ? overlay : input.rgb();
    }

    @Override
    public ByteBuffer labels() {
        return labels;
    }
}

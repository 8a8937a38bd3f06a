package dev.segment.engine.support;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Records what reaches it: frame indices, the frame number carried in the pixels, and the open/close calls. */
public class RecordingSink implements FrameSink {
    public final List<Long> indices = new ArrayList<>();
    public final List<Integer> pixelNumbers = new ArrayList<>();
    /** Every audio sample written, in order. */
    public final List<Short> audio = new ArrayList<>();

    public volatile int opens;
    public volatile int closes;
    private final int failAt;

    public RecordingSink() {
        this(-1);
    }

    /** A sink that throws on the write of frame {@code failAt}. */
    public RecordingSink(int failAt) {
        this.failAt = failAt;
    }

    @Override
    public void open(VideoInfo info) {
        opens++;
    }

    @Override
    public synchronized void write(SegmentedFrame frame) throws IOException {
        if (frame.index() == failAt) {
            throw new IOException("disk full (simulated) at frame " + failAt);
        }
        indices.add(frame.index());
        pixelNumbers.add(SyntheticSource.frameNumberOf(frame.input().rgb()));
        java.nio.ShortBuffer samples = frame.input().audio();
        for (int k = 0; k < samples.limit(); k++) {
            audio.add(samples.get(k));
        }
    }

    @Override
    public void close() {
        closes++;
    }
}

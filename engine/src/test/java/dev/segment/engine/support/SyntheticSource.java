package dev.segment.engine.support;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;

import java.nio.ByteBuffer;

/**
 * A source of numbered frames made in memory: pixel bytes encode the frame number, so a sink can check order and
 * identity. Optionally paced like a camera ({@code live} with a frame interval).
 */
public final class SyntheticSource implements FrameSource {
    private final int width;
    private final int height;
    private final int frames;
    private final boolean live;
    private final long intervalNanos;
    private int next;
    private long nextDue;
    private volatile boolean closed;
    public volatile int closeCalls;

    public SyntheticSource(int width, int height, int frames, boolean live, double fps) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.live = live;
        this.intervalNanos = live ? (long) (1e9 / fps) : 0;
    }

    @Override
    public VideoInfo open() {
        nextDue = System.nanoTime();
        return new VideoInfo(width, height, 25, live ? -1 : frames, 0, 0, live, "synthetic");
    }

    @Override
    public boolean read(VideoFrame frame) {
        if (closed || next >= frames) {
            return false;
        }
        if (intervalNanos > 0) {
            long wait = nextDue - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            nextDue += intervalNanos;
        }
        ByteBuffer rgb = frame.resize(width, height);
        byte v = (byte) next;
        for (int i = 0; i < rgb.limit(); i++) {
            rgb.put(i, v);
        }
        frame.setPtsMicros(next * 40_000L);
        frame.setCaptureNanos(System.nanoTime());
        next++;
        return true;
    }

    public static int frameNumberOf(ByteBuffer rgb) {
        return rgb.get(0) & 0xff;
    }

    @Override
    public void close() {
        closed = true;
        closeCalls++;
    }
}

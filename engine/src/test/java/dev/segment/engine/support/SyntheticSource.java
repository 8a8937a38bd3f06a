package dev.segment.engine.support;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import java.nio.ByteBuffer;

/**
 * A source of numbered frames made in memory: pixel bytes encode the frame number, so a sink can check order and
 * identity. Optionally paced like a camera ({@code live} with a frame interval), and with audio: every frame then
 * carries {@link #AUDIO_PER_FRAME} mono samples holding its frame number, so a sink can check that none was lost.
 */
public final class SyntheticSource implements FrameSource {
    private final int width;
    private final int height;
    private final int frames;
    private final boolean live;
    private final long intervalNanos;
    private boolean audio;
    private final java.nio.ShortBuffer samples = ByteBuffer.allocateDirect(2 * AUDIO_PER_FRAME)
            .order(java.nio.ByteOrder.nativeOrder())
            .asShortBuffer();
    private volatile int next;
    private long nextDue;
    private volatile boolean closed;
    public volatile int closeCalls;

    public static final int AUDIO_PER_FRAME = 4;

    public SyntheticSource(int width, int height, int frames, boolean live, double fps) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.live = live;
        this.intervalNanos = live ? (long) (1e9 / fps) : 0;
    }

    /** Gives every frame audio (see the class comment). */
    public SyntheticSource withAudio() {
        audio = true;
        return this;
    }

    /** Frames decoded so far (the newest is number produced() - 1). */
    public int produced() {
        return next;
    }

    @Override
    public VideoInfo open() {
        nextDue = System.nanoTime();
        return new VideoInfo(width, height, 25, live ? -1 : frames, audio ? 1 : 0, audio ? 8000 : 0, live, "synthetic");
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
        if (audio) {
            samples.clear();
            for (int k = 0; k < AUDIO_PER_FRAME; k++) {
                samples.put(k, (short) next);
            }
            frame.appendAudio(samples.limit(AUDIO_PER_FRAME), 1, 8000);
        }
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

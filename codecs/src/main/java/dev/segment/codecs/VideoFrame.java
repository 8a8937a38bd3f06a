package dev.segment.codecs;

import dev.segment.codecs.internal.EvenPadder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * A reusable, preallocated holder for one decoded video frame and the audio that arrived with it.
 *
 * <p>Sources copy decoded pixels into {@link #rgb()} (packed RGB24, row-major, no padding: pixel (x, y) starts at
 * {@code (y * width + x) * 3}); the buffer grows only when a larger frame arrives, so steady-state decoding allocates
 * nothing. Audio samples decoded between this frame and the previous one are appended to {@link #audio()} as
 * interleaved signed 16-bit PCM. Not thread-safe: a frame is owned by one stage at a time (the ring buffer hands
 * it from stage to stage).
 */
public final class VideoFrame {
    private ByteBuffer rgb;
    private ShortBuffer audio;
    private int width;
    private int height;
    private long ptsMicros;
    private long captureNanos;
    private int epoch;
    private int audioChannels;
    private int sampleRate;

    public VideoFrame(int initialWidth, int initialHeight) {
        rgb = ByteBuffer.allocateDirect(Math.max(1, initialWidth * initialHeight * 3) + EvenPadder.TAIL);
        audio = ByteBuffer.allocateDirect(2 * 48_000 * 2)
                .order(ByteOrder.nativeOrder())
                .asShortBuffer();
        audio.limit(0);
    }

    /** Sets the frame size, growing the pixel buffer if needed; returns the buffer with position 0, limit w*h*3. */
    public ByteBuffer resize(int newWidth, int newHeight) {
        if (newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + newWidth + "x" + newHeight);
        }
        int bytes = Math.multiplyExact(Math.multiplyExact(newWidth, newHeight), 3);
        if (rgb.capacity() < bytes + EvenPadder.TAIL) {
            rgb = ByteBuffer.allocateDirect(bytes + EvenPadder.TAIL); // the encoder's SIMD reads past the last pixel
        }
        width = newWidth;
        height = newHeight;
        rgb.clear().limit(bytes);
        return rgb;
    }

    /** Packed RGB24 pixels, position 0, limit {@code width * height * 3}. */
    public ByteBuffer rgb() {
        return rgb.duplicate().position(0).limit(width * height * 3);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long ptsMicros() {
        return ptsMicros;
    }

    public void setPtsMicros(long ptsMicros) {
        this.ptsMicros = ptsMicros;
    }

    /**
     * {@link System#nanoTime()} when the source produced this frame (decoded it, or received it from a camera); 0 when
     * unknown. The pipeline measures capture-to-output latency from it.
     */
    public long captureNanos() {
        return captureNanos;
    }

    public void setCaptureNanos(long captureNanos) {
        this.captureNanos = captureNanos;
    }

    /**
     * Continuity generation of the stream: starts at 0 and grows by one each time the source breaks continuity (a
     * reconnect, a seek, a change of frame size). Temporal state (the CRF warm start) must be reset when it changes.
     */
    public int epoch() {
        return epoch;
    }

    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /** Drops any audio held (called when a slot is reused). */
    public void clearAudio() {
        audio.clear().limit(0);
    }

    /** Appends interleaved 16-bit samples; grows the buffer when needed. */
    public void appendAudio(ShortBuffer samples, int channels, int rate) {
        int n = samples.remaining();
        if (audio.capacity() - audio.limit() < n) {
            ShortBuffer bigger = ByteBuffer.allocateDirect(Math.max(audio.capacity() * 2, audio.limit() + n) * 2)
                    .order(ByteOrder.nativeOrder())
                    .asShortBuffer();
            ShortBuffer old = audio.duplicate();
            old.position(0);
            bigger.put(old);
            bigger.flip();
            audio = bigger;
        }
        int start = audio.limit();
        audio.limit(start + n);
        audio.position(start);
        audio.put(samples);
        audio.position(0);
        audioChannels = channels;
        sampleRate = rate;
    }

    /** Interleaved audio samples held with this frame (position 0, limit = number of samples). */
    public ShortBuffer audio() {
        return audio.duplicate().position(0);
    }

    public int audioChannels() {
        return audioChannels;
    }

    public int sampleRate() {
        return sampleRate;
    }
}

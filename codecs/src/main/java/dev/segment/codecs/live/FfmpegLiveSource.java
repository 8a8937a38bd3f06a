package dev.segment.codecs.live;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.live.internal.GrabberThread;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * One connection to a camera, webcam, URL or (paced) file through FFmpeg, with open and read timeouts that hold even
 * if FFmpeg blocks (see {@link GrabberThread}). Video only: live audio is not passed through.
 *
 * <p>Live frames are stamped with the wall clock: {@link VideoFrame#captureNanos()} when the picture was decoded and
 * a presentation time in microseconds since {@link #open()}, strictly increasing. Paced files keep their own times.
 * Does not reconnect: wrap it in a {@link ReconnectingSource}.
 */
public final class FfmpegLiveSource implements FrameSource {
    private final SourceSpec spec;
    private final LiveOptions options;
    private volatile GrabberThread worker;
    private volatile boolean closed;
    private MonotonicClock clock;
    private long firstPts = Long.MIN_VALUE;
    private long paceOriginNanos;
    private VideoInfo info;

    public FfmpegLiveSource(SourceSpec spec, LiveOptions options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public VideoInfo open() throws IOException {
        if (closed) {
            throw new IOException(spec.description() + ": source is closed");
        }
        if (worker != null) {
            throw new IllegalStateException(spec.description() + ": open() called twice");
        }
        try {
            // Loading FFmpeg's native libraries takes seconds the first time: not part of the open timeout.
            FFmpegFrameGrabber.tryLoad();
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException("FFmpeg native libraries cannot be loaded: " + e.getMessage(), e);
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(spec.input());
        if (spec.format() != null) {
            grabber.setFormat(spec.format());
        }
        spec.ffmpegOptions().forEach(grabber::setOption);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        grabber.setAudioChannels(0);
        GrabberThread w = new GrabberThread(grabber, spec.description(),
                "segment-live-grabber-" + Integer.toHexString(System.identityHashCode(this)));
        worker = w;
        if (closed) {
            w.close();
            throw new IOException(spec.description() + ": source is closed");
        }
        w.start(options.openTimeoutMs());
        double rate = grabber.getFrameRate();
        if (!(rate > 0) || Double.isInfinite(rate) || rate > 1000) {
            rate = options.frameRate() > 0 ? options.frameRate() : 25;
        }
        int w0 = grabber.getImageWidth();
        int h0 = grabber.getImageHeight();
        if (w0 <= 0 || h0 <= 0) {
            w.close();
            throw new IOException(spec.description() + ": stream has no video (size " + w0 + "x" + h0 + ")");
        }
        long count = spec.live() ? -1 : grabber.getLengthInVideoFrames();
        info = new VideoInfo(w0, h0, rate, count > 0 ? count : -1, 0, 0, spec.live(), spec.description());
        clock = new MonotonicClock(System.nanoTime());
        paceOriginNanos = System.nanoTime();
        return info;
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        GrabberThread w = worker;
        if (w == null) {
            throw new IllegalStateException(spec.description() + ": read() before open()");
        }
        if (closed) {
            throw new IOException(spec.description() + ": source is closed");
        }
        Frame f;
        do {
            f = w.grab(options.readTimeoutMs());
            if (f == null) {
                return false;
            }
        } while (f.image == null || f.imageWidth <= 0 || f.imageHeight <= 0);
        long now = System.nanoTime();
        copyRgb(f, frame);
        frame.clearAudio();
        frame.setCaptureNanos(now);
        if (spec.kind() == SourceKind.FILE) {
            long pts = f.timestamp;
            if (firstPts == Long.MIN_VALUE) {
                firstPts = pts;
            }
            if (options.realtime()) {
                pace(pts - firstPts);
                frame.setCaptureNanos(System.nanoTime());
            }
            frame.setPtsMicros(clock.atLeast(pts - firstPts));
        } else {
            frame.setPtsMicros(clock.micros(now));
        }
        return true;
    }

    private void pace(long sinceFirstMicros) throws IOException {
        long dueNanos = paceOriginNanos + sinceFirstMicros * 1000;
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0 && !closed) {
            try {
                Thread.sleep(Math.min(wait / 1_000_000 + 1, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(spec.description() + ": interrupted while pacing");
            }
        }
    }

    private static void copyRgb(Frame f, VideoFrame frame) {
        int width = f.imageWidth;
        int height = f.imageHeight;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        int stride = f.imageStride;
        int row = width * 3;
        ByteBuffer dst = frame.resize(width, height);
        if (stride == row) {
            src.position(0).limit(row * height);
            dst.put(src);
        } else {
            for (int y = 0; y < height; y++) {
                src.limit(y * stride + row).position(y * stride);
                dst.put(src);
            }
        }
    }

    /** The stream's properties once open; null before. */
    public VideoInfo info() {
        return info;
    }

    /** True while the grabber's thread is still running (after close it ends once FFmpeg returns). */
    public boolean workerAlive() {
        GrabberThread w = worker;
        return w != null && w.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        GrabberThread w = worker;
        if (w != null) {
            w.close();
        }
    }

    @Override
    public String toString() {
        return "FfmpegLiveSource[" + spec.description() + "]";
    }
}

package dev.segment.codecs.preview;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.Redact;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Pushes the overlay as a live H.264 stream: {@code rtsp://} (ANNOUNCE/RECORD to a server such as GstRtspServer in
 * record mode or mediamtx, TCP) or {@code rtmp://} (FLV to nginx-rtmp, a CDN ingest...). Encoded by libx264 with
 * ultrafast/zerolatency and a key frame every second, so a viewer joining late waits at most a second. Frames are
 * placed by their presentation times; a dropped frame leaves a gap rather than speeding the stream up.
 *
 * <p>A server that cannot be reached when the run starts fails {@link #open} (a wrong URL is the user's to fix). A
 * push lost later (the server went away, the network broke) does not fail the run: the other outputs beside it (the
 * recording) go on, the loss is logged, and the sink reconnects on a later frame, after 1, 2, 4... up to 30 seconds,
 * starting a new stream whose timestamps begin again at 0. Frames in between are not pushed.
 */
public final class StreamPushSink implements FrameSink {
    private static final System.Logger LOG = System.getLogger(StreamPushSink.class.getName());
    private static final long MAX_RETRY_DELAY_NANOS = 30_000_000_000L;

    private final String url;
    private final String description;
    private final int bitrate;
    private final long ioTimeoutMicros;
    private FFmpegFrameRecorder recorder;
    private Frame frame;
    private long firstPts = Long.MIN_VALUE;
    private long lastTimestamp = -1;
    private boolean closed;
    private VideoInfo info;
    private int failuresInARow;
    private long retryAtNanos;
    private long losses;
    private long framesNotPushed;

    /**
     * @param url          rtsp://, rtsps:// or rtmp(s):// destination
     * @param bitrate      video bits per second, 100k..50M
     * @param ioTimeoutMs  longest a network write may block before the sink fails, &gt; 0
     */
    public StreamPushSink(String url, int bitrate, long ioTimeoutMs) {
        this.url = Objects.requireNonNull(url, "url");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("rtsp://")
                && !lower.startsWith("rtsps://")
                && !lower.startsWith("rtmp://")
                && !lower.startsWith("rtmps://")) {
            throw new IllegalArgumentException("stream output must be an rtsp:// or rtmp:// URL, got " + describe(url));
        }
        if (bitrate < 100_000 || bitrate > 50_000_000) {
            throw new IllegalArgumentException("bitrate must be 100000..50000000, got " + bitrate);
        }
        if (ioTimeoutMs <= 0) {
            throw new IllegalArgumentException("ioTimeoutMs must be > 0, got " + ioTimeoutMs);
        }
        this.description = describe(url);
        this.bitrate = bitrate;
        this.ioTimeoutMicros = ioTimeoutMs * 1000;
    }

    /** FFmpeg's message with the URL (and so the stream key) replaced by its description. */
    private String hide(String message) {
        return message == null ? "" : Redact.redact(message.replace(url, description));
    }

    /** The URL with credentials and an RTMP stream key (last path element) hidden. */
    public static String describe(String url) {
        String r = Redact.redact(url);
        if (r.toLowerCase(Locale.ROOT).startsWith("rtmp")) {
            int slash = r.lastIndexOf('/');
            int hostStart = r.indexOf("://") + 3;
            if (slash > hostStart && r.indexOf('/', hostStart) < slash) {
                r = r.substring(0, slash + 1) + "***";
            }
        }
        return r;
    }

    @Override
    public void open(VideoInfo info) throws IOException {
        if (this.info != null || closed) {
            throw new IllegalStateException(description + ": a stream sink can be opened once");
        }
        if (info.width() % 2 != 0 || info.height() % 2 != 0) {
            throw new IOException(
                    description + ": H.264 4:2:0 needs even frame sizes, got " + info.width() + "x" + info.height());
        }
        recorder = start(info);
        this.info = info;
        frame = new Frame(info.width(), info.height(), Frame.DEPTH_UBYTE, 3);
    }

    private FFmpegFrameRecorder start(VideoInfo info) throws IOException {
        boolean rtsp = url.toLowerCase(Locale.ROOT).startsWith("rtsp");
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(url, info.width(), info.height(), 0);
        r.setFormat(rtsp ? "rtsp" : "flv");
        if (rtsp) {
            r.setOption("rtsp_transport", "tcp");
            r.setOption("timeout", Long.toString(ioTimeoutMicros));
        } else {
            r.setOption("rw_timeout", Long.toString(ioTimeoutMicros));
        }
        r.setVideoCodec(AV_CODEC_ID_H264);
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setFrameRate(info.frameRate());
        r.setGopSize(Math.max(1, (int) Math.round(info.frameRate())));
        r.setVideoBitrate(bitrate);
        r.setVideoOption("preset", "ultrafast");
        r.setVideoOption("tune", "zerolatency");
        r.setMaxBFrames(0);
        try {
            r.start();
        } catch (FFmpegFrameRecorder.Exception e) {
            try {
                r.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // already failing
            }
            throw new IOException(description + ": cannot start the stream: " + hide(e.getMessage()));
        }
        return r;
    }

    @Override
    public void write(SegmentedFrame f) throws IOException {
        if (info == null || closed) {
            throw new IllegalStateException(
                    description + (closed ? ": write() after close()" : ": write() before open()"));
        }
        if (recorder == null && !reconnect()) {
            framesNotPushed++;
            return;
        }
        if (f.width() != frame.imageWidth || f.height() != frame.imageHeight) {
            throw new IOException(description + ": frame size changed to " + f.width() + "x" + f.height()
                    + " but the stream was opened at " + frame.imageWidth + "x" + frame.imageHeight);
        }
        ByteBuffer dst = (ByteBuffer) frame.image[0];
        dst.clear();
        ByteBuffer src = f.overlay().duplicate();
        src.limit(src.position() + f.width() * f.height() * 3);
        dst.put(src);
        dst.clear();
        if (firstPts == Long.MIN_VALUE) {
            firstPts = f.ptsMicros();
        }
        long ts = Math.max(lastTimestamp + 1, f.ptsMicros() - firstPts);
        try {
            recorder.setTimestamp(ts);
            recorder.record(frame, AV_PIX_FMT_RGB24);
        } catch (FFmpegFrameRecorder.Exception e) {
            losses++;
            lost("push lost (" + hide(e.getMessage()) + ")");
            framesNotPushed++;
            return;
        }
        lastTimestamp = ts;
        failuresInARow = 0;
    }

    /** Releases the broken connection and schedules the next attempt; the other outputs are not affected. */
    private void lost(String why) {
        releaseQuietly(recorder);
        recorder = null;
        long delay = Math.min(MAX_RETRY_DELAY_NANOS, 1_000_000_000L << Math.min(failuresInARow, 5));
        failuresInARow++;
        retryAtNanos = System.nanoTime() + delay;
        LOG.log(
                Level.WARNING,
                description + ": " + why + "; the other outputs go on, retrying in " + delay / 1_000_000_000L + " s");
    }

    /** A new connection when the retry time has come; false while there is none. */
    private boolean reconnect() {
        if (System.nanoTime() - retryAtNanos < 0) {
            return false;
        }
        try {
            recorder = start(info);
        } catch (IOException e) {
            lost("reconnection failed (" + e.getMessage() + ")");
            return false;
        }
        firstPts = Long.MIN_VALUE;
        lastTimestamp = -1;
        LOG.log(Level.INFO, description + ": push resumed (a new stream)");
        return true;
    }

    private static void releaseQuietly(FFmpegFrameRecorder r) {
        if (r == null) {
            return;
        }
        try {
            r.release();
        } catch (FFmpegFrameRecorder.Exception | RuntimeException ignored) {
            // the connection is already broken
        }
    }

    /** How many times the push was lost after it had started. */
    public long losses() {
        return losses;
    }

    /** Frames not pushed because the push was lost (until it reconnected). */
    public long framesNotPushed() {
        return framesNotPushed;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (recorder != null) {
                recorder.stop();
                recorder.release();
            }
        } catch (FFmpegFrameRecorder.Exception e) {
            // as a loss mid-stream: the end of a push that broke must not fail the recordings beside it
            LOG.log(Level.WARNING, description + ": the push ended with an error: " + hide(e.getMessage()));
            releaseQuietly(recorder);
        } finally {
            recorder = null;
            if (frame != null) {
                frame.close();
            }
        }
    }

    @Override
    public String toString() {
        return "StreamPushSink[" + description + "]";
    }
}

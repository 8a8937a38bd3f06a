package dev.segment.codecs;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.segment.codecs.internal.EvenPadder;
import dev.segment.codecs.internal.FfmpegErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes frames to H.264 (libx264, yuv420p) in MP4 or MKV, chosen by the file extension, with the input's audio
 * re-encoded as AAC. Built on JavaCV's FFmpegFrameRecorder.
 *
 * <p>Crash safety: MP4 is written fragmented ({@code frag_keyframe+empty_moov+default_base_moof}, fragments of at
 * most {@link VideoSinkOptions#fragmentMillis()}, packets flushed), MKV with short clusters, straight to the final
 * path: a process killed with SIGKILL leaves a file FFmpeg reads up to the last complete fragment.
 *
 * <p>Timestamps: each frame's pts (relative to the first frame) is placed on a grid of the source's nominal frame rate,
 * so gaps survive to within half a nominal frame. For a variable-rate source ({@link VideoInfo#variableRate()}, e.g.
 * phone videos) the grid is {@link #VARIABLE_RATE_TICKS} times finer: on the nominal grid a frame that came sooner
 * than the average was pushed a whole step later (the 25 fps half of a 10/25 fps clip ended 0.32 s late). x264 is
 * then told the nominal rate ({@code x264-params fps=}), which sets the stream's level and rate control, and the
 * last frame lasts one tick (the recorder gives frames no duration). Odd frame sizes are padded to even by repeating
 * the last column/row ({@link #encodedWidth()}).
 */
public final class VideoFileSink implements FrameSink {
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
    /** Time-base ticks per nominal frame for variable-rate sources. */
    static final int VARIABLE_RATE_TICKS = 8;

    private final Path path;
    private final VideoSinkOptions options;
    private FFmpegFrameRecorder recorder;
    private EvenPadder padder;
    private VideoInfo info;
    private boolean audio;
    private boolean failed;
    private boolean closed;
    private long firstPts = Long.MIN_VALUE;
    private long lastFrameNumber = -1;
    private int ticksPerFrame = 1;
    private long written;

    public VideoFileSink(Path path) {
        this(path, VideoSinkOptions.defaults());
    }

    public VideoFileSink(Path path, VideoSinkOptions options) {
        if (path == null || options == null) {
            throw new IllegalArgumentException("path and options must not be null");
        }
        this.path = path.toAbsolutePath();
        this.options = options;
    }

    /**
     * Checks that {@code path} names a video this sink writes (.mp4 or .mkv), so that a command can refuse a wrong
     * name before it loads a model or opens its input.
     */
    public static void checkName(Path path) throws SinkException {
        muxerFor(path);
    }

    /** The FFmpeg muxer for an output file name: "mp4" or "matroska"; a clear error for anything else. */
    static String muxerFor(Path path) throws SinkException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mp4")) {
            return "mp4";
        }
        if (name.endsWith(".mkv")) {
            return "matroska";
        }
        int dot = name.lastIndexOf('.');
        throw new SinkException(
                path,
                "unsupported output extension \"" + (dot < 0 ? "" : name.substring(dot)) + "\": use .mp4 or .mkv");
    }

    @Override
    public void open(VideoInfo videoInfo) throws IOException {
        if (closed) {
            throw new IllegalStateException(path + ": open() after close()");
        }
        if (recorder != null) {
            throw new IllegalStateException(path + ": open() called twice");
        }
        String muxer = muxerFor(path);
        checkOutputPath(videoInfo);
        info = videoInfo;
        padder = new EvenPadder(videoInfo.width(), videoInfo.height());
        audio = options.audio() && videoInfo.hasAudio();
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(
                path.toString(), padder.paddedWidth(), padder.paddedHeight(), audio ? videoInfo.audioChannels() : 0);
        r.setFormat(muxer);
        r.setVideoCodecName("libx264");
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        ticksPerFrame = videoInfo.variableRate() ? VARIABLE_RATE_TICKS : 1;
        r.setFrameRate(videoInfo.frameRate() * ticksPerFrame);
        if (ticksPerFrame > 1) {
            r.setVideoOption("x264-params", String.format(Locale.ROOT, "fps=%.6f", videoInfo.frameRate()));
        }
        r.setVideoOption("preset", options.preset());
        r.setVideoOption("crf", Integer.toString(options.crf()));
        r.setOption("flush_packets", "1");
        if (muxer.equals("mp4")) {
            r.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
            r.setOption("frag_duration", Long.toString(options.fragmentMillis() * 1000L));
        } else {
            r.setOption("cluster_time_limit", Integer.toString(options.fragmentMillis()));
            r.setOption("cluster_size_limit", Integer.toString(1 << 20));
        }
        if (audio) {
            r.setAudioCodec(AV_CODEC_ID_AAC);
            r.setSampleRate(videoInfo.sampleRate());
            r.setAudioChannels(videoInfo.audioChannels());
            r.setAudioBitrate(options.audioBitrate());
        }
        try {
            r.start();
        } catch (FFmpegFrameRecorder.Exception e) {
            try {
                r.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // the start failure is the error to report
            }
            throw failure("cannot start the encoder", e);
        }
        recorder = r;
    }

    private void checkOutputPath(VideoInfo videoInfo) throws SinkException {
        Path source = videoInfo.sourceFile();
        try {
            if (source != null
                    && (source.toAbsolutePath().normalize().equals(path.normalize())
                            || Files.exists(path) && Files.exists(source) && Files.isSameFile(source, path))) {
                throw new SinkException(path, "is the input file; refusing to overwrite it");
            }
        } catch (IOException e) {
            throw new SinkException(path, "cannot compare with the input " + source + ": " + e.getMessage(), e);
        }
        Path dir = path.getParent();
        try {
            Files.createDirectories(dir); // as for images: a missing output directory is made
        } catch (IOException e) {
            throw new SinkException(path, "cannot create the output directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new SinkException(path, "the output directory " + dir + " is not writable");
        }
        if (Files.isDirectory(path)) {
            throw new SinkException(path, "is a directory, not a file name");
        }
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (recorder == null) {
            throw new IllegalStateException(path + (closed ? ": write() after close()" : ": write() before open()"));
        }
        if (failed) {
            throw new SinkException(path, "an earlier write failed; no further frames are written");
        }
        if (frame.width() != info.width() || frame.height() != info.height()) {
            throw new SinkException(
                    path,
                    "frame " + frame.index() + " is " + frame.width() + "x" + frame.height()
                            + " but the file was opened for " + info.width() + "x" + info.height());
        }
        ByteBuffer rgb = options.content() == VideoSinkOptions.Content.OVERLAY
                ? frame.overlay()
                : frame.input().rgb();
        if (firstPts == Long.MIN_VALUE) {
            firstPts = frame.ptsMicros();
        }
        long n = Math.round((frame.ptsMicros() - firstPts) * info.frameRate() * ticksPerFrame / 1e6);
        if (n <= lastFrameNumber) {
            n = lastFrameNumber + 1;
        }
        try {
            if (audio) {
                ShortBuffer samples = frame.input().audio();
                if (samples.remaining() > 0) {
                    recorder.recordSamples(
                            frame.input().sampleRate(), frame.input().audioChannels(), samples);
                }
            }
            recorder.setFrameNumber(Math.toIntExact(n));
            ByteBuffer image = padder.pad(rgb);
            recorder.recordImage(
                    padder.paddedWidth(),
                    padder.paddedHeight(),
                    Frame.DEPTH_UBYTE,
                    3,
                    padder.paddedWidth() * 3,
                    AV_PIX_FMT_RGB24,
                    image);
        } catch (FFmpegFrameRecorder.Exception e) {
            failed = true;
            throw failure("cannot write frame " + frame.index(), e);
        }
        lastFrameNumber = n;
        written++;
    }

    private SinkException failure(String what, Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher m = ERROR_CODE.matcher(msg);
        String cause = m.find() ? FfmpegErrors.describe(Integer.parseInt(m.group(1))) : msg;
        return new SinkException(path, what + ": " + cause, e);
    }

    /** Frames encoded so far. */
    public long framesWritten() {
        return written;
    }

    /** Width of the encoded picture: the frame width, plus one when it is odd. */
    public int encodedWidth() {
        return padder == null ? 0 : padder.paddedWidth();
    }

    public int encodedHeight() {
        return padder == null ? 0 : padder.paddedHeight();
    }

    /**
     * Flushes the encoder and writes the trailer. After a failed write it only frees the encoder, without a second
     * error. Safe to call twice.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        FFmpegFrameRecorder r = recorder;
        recorder = null;
        if (r == null) {
            return;
        }
        if (failed) {
            try {
                r.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // the write error was already reported
            }
            return;
        }
        try {
            r.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw failure("cannot finish the file", e);
        } finally {
            try {
                r.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // already released by stop(), or the stop failure is reported
            }
        }
    }
}

package dev.segment.codecs;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import dev.segment.codecs.SourceException.Kind;
import dev.segment.codecs.internal.AudioConverter;
import dev.segment.codecs.internal.FfmpegErrors;
import dev.segment.codecs.internal.InputOpener;
import dev.segment.codecs.internal.InputOpener.OpenInput;
import dev.segment.codecs.internal.Interrupter;
import dev.segment.codecs.internal.RgbConverter;
import dev.segment.codecs.internal.Rotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FrameSource} on FFmpeg's demuxers and decoders: files, any FFmpeg URL (rtsp, http, udp...) and devices
 * or filter graphs via {@link SourceOptions#format()} ("v4l2", "lavfi"...).
 *
 * <p>Frames come out upright (display-matrix rotation applied), as packed RGB24 with pts in microseconds from the
 * stream's start (real timestamps, so variable frame rates survive), with the audio decoded since the previous
 * video frame as interleaved s16. Corrupt packets are skipped and counted ({@link #corruptPackets()}); only
 * {@link SourceOptions#maxConsecutiveErrors()} in a row fail the read with {@link SourceException.Kind#DECODE}.
 *
 * <p>Written directly on the FFmpeg API rather than JavaCV's FFmpegFrameGrabber: the grabber (1.5.12) installs no
 * interrupt callback and holds its monitor during a blocking read, so another thread could not unblock it.
 * {@link #close()} from any thread makes a blocked read return false promptly.
 */
public final class FfmpegSource implements FrameSource {
    private static final long MICROS = 1_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSource.class);

    private final String url;
    private final String name;
    private final Path file;
    private final SourceOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Interrupter interrupter = new Interrupter();

    private OpenInput input;
    private VideoInfo info;
    private AVPacket packet;
    private AVFrame picture;
    private AVFrame samples;
    private RgbConverter rgb;
    private AudioConverter audio;
    private AVRational videoTimeBase;
    private long startTs;
    private long frameMicros;
    private long lastPts = Long.MIN_VALUE;
    private long dropBeforeMicros = Long.MIN_VALUE;
    private long dropFrames;
    private boolean draining;
    private boolean ended;
    private long corrupt;
    private long delivered;
    private long paceWallStart;
    private long pacePtsStart;

    /** Reads a local file with {@link SourceOptions.forFile()}. */
    public FfmpegSource(Path file) {
        this(file.toString(), SourceOptions.forFile());
    }

    /** Reads a local path, a URL ("rtsp://...") or a device/filter spec with a forced format in {@code options}. */
    public FfmpegSource(String urlOrPath, SourceOptions options) {
        if (urlOrPath == null || urlOrPath.isBlank()) {
            throw new IllegalArgumentException("source must be a file path or URL, got \"" + urlOrPath + "\"");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null (use SourceOptions.forFile())");
        }
        this.url = urlOrPath;
        this.options = options;
        this.name = Redact.redact(urlOrPath);
        boolean isUrl = urlOrPath.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !urlOrPath.startsWith("file:");
        this.file = options.format() == null && !isUrl
                ? Path.of(urlOrPath.startsWith("file:") ? urlOrPath.substring(5) : urlOrPath)
                        .toAbsolutePath()
                : null;
    }

    @Override
    public VideoInfo open() throws IOException {
        lock.lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException(name + ": open() after close()");
            }
            if (input != null) {
                throw new IllegalStateException(name + ": open() called twice");
            }
            checkFile();
            input = InputOpener.open(url, name, options, interrupter);
            packet = av_packet_alloc();
            picture = av_frame_alloc();
            samples = av_frame_alloc();
            int rotation = Rotation.clockwiseDegrees(input.videoStream.codecpar());
            rgb = new RgbConverter(rotation);
            audio = new AudioConverter();
            videoTimeBase = input.videoStream.time_base();
            startTs = input.videoStream.start_time() == AV_NOPTS_VALUE ? 0 : input.videoStream.start_time();
            info = describe(rotation);
            frameMicros = Math.max(1, Math.round(MICROS / info.frameRate()));
            if (options.startFrame() > 0) {
                seekToStart();
            }
            return info;
        } catch (SourceException e) {
            release();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void checkFile() throws SourceException {
        if (file == null) {
            return;
        }
        if (!Files.exists(file)) {
            throw new SourceException(Kind.NOT_FOUND, name, "no such file (looked for " + file + ")");
        }
        if (Files.isDirectory(file)) {
            throw new SourceException(Kind.NOT_VIDEO, name, "is a directory, not a video file");
        }
        if (!Files.isReadable(file)) {
            throw new SourceException(Kind.UNREADABLE, name, "permission denied: the file is not readable");
        }
    }

    private VideoInfo describe(int rotation) {
        var st = input.videoStream;
        double fps = rate(st.avg_frame_rate());
        if (fps <= 0) {
            fps = rate(st.r_frame_rate());
        }
        if (fps <= 0 || fps > 1000) {
            fps = 25;
        }
        long frames = st.nb_frames() > 0 ? Math.max(0, st.nb_frames() - options.startFrame()) : -1;
        int w = rgb.uprightWidth(input.video.width(), input.video.height());
        int h = rgb.uprightHeight(input.video.width(), input.video.height());
        int channels = input.audio == null ? 0 : input.audio.ch_layout().nb_channels();
        int rate = input.audio == null ? 0 : input.audio.sample_rate();
        String codec =
                input.video.codec() == null ? "" : input.video.codec().name().getString();
        boolean variable = Math.abs(rate(st.r_frame_rate()) - fps) > 1e-3;
        return new VideoInfo(w, h, fps, frames, channels, rate, options.live(), name, codec, rotation, file, variable);
    }

    private static double rate(AVRational r) {
        return r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
    }

    /** Seeks to the keyframe before the start frame; frames before it are then decoded and dropped. */
    private void seekToStart() {
        long n = options.startFrame();
        boolean variable = info.variableRate();
        long targetMicros = Math.round(n * (double) MICROS / info.frameRate());
        long targetTs = startTs + Math.round(targetMicros / 1e6 / rate(videoTimeBase));
        if (!variable && av_seek_frame(input.format, input.videoStream.index(), targetTs, AVSEEK_FLAG_BACKWARD) >= 0) {
            avcodec_flush_buffers(input.video);
            if (input.audio != null) {
                avcodec_flush_buffers(input.audio);
            }
            dropBeforeMicros = targetMicros - frameMicros / 2;
        } else {
            dropFrames = n;
        }
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        lock.lock();
        try {
            if (closed.get() || ended) {
                return false;
            }
            if (input == null) {
                throw new IllegalStateException(name + ": read() before open()");
            }
            interrupter.deadline(options.readTimeout());
            frame.clearAudio();
            while (true) {
                if (!nextPicture(frame)) {
                    ended = true;
                    return false;
                }
                long pts = ptsMicros();
                if (dropFrames > 0 || pts < dropBeforeMicros) {
                    dropFrames = Math.max(0, dropFrames - 1);
                    frame.clearAudio();
                    av_frame_unref(picture);
                    continue;
                }
                dropBeforeMicros = Long.MIN_VALUE;
                rgb.convert(picture, frame);
                av_frame_unref(picture);
                frame.setPtsMicros(pts);
                delivered++;
                if (options.realtime()) {
                    pace(pts);
                }
                return !closed.get();
            }
        } finally {
            interrupter.deadline(java.time.Duration.ZERO);
            lock.unlock();
        }
    }

    /** Decodes until a picture is in {@link #picture}; false at the end of the stream or when closed. */
    private boolean nextPicture(VideoFrame frame) throws SourceException {
        int errorsInRow = 0;
        while (true) {
            int r = avcodec_receive_frame(input.video, picture);
            if (r == 0) {
                return true;
            }
            if (r == AVERROR_EOF) {
                return false;
            }
            if (r != FfmpegErrors.EAGAIN) {
                errorsInRow = corruptPacket(errorsInRow, r);
                continue;
            }
            if (draining) {
                return false;
            }
            r = av_read_frame(input.format, packet);
            if (r == AVERROR_EOF) {
                drainAudio(frame);
                avcodec_send_packet(input.video, null);
                draining = true;
                continue;
            }
            if (r < 0) {
                if (closed.get() || interrupter.stopped()) {
                    return false;
                }
                if (r == AVERROR_EXIT || r == FfmpegErrors.ETIMEDOUT) {
                    throw new SourceException(
                            Kind.TIMEOUT,
                            name,
                            "no data for " + options.readTimeout().toMillis() + " ms (" + FfmpegErrors.describe(r)
                                    + ")");
                }
                if (r == FfmpegErrors.EAGAIN) {
                    continue;
                }
                if (file == null) {
                    throw new SourceException(Kind.IO, name, "read failed: " + FfmpegErrors.describe(r));
                }
                errorsInRow = corruptPacket(errorsInRow, r);
                continue;
            }
            try {
                if (packet.stream_index() == input.videoStream.index()) {
                    int s = avcodec_send_packet(input.video, packet);
                    errorsInRow = s < 0 && s != FfmpegErrors.EAGAIN ? corruptPacket(errorsInRow, s) : 0;
                } else if (input.audioStream != null && packet.stream_index() == input.audioStream.index()) {
                    if (avcodec_send_packet(input.audio, packet) >= 0) {
                        receiveAudio(frame);
                    } else {
                        corrupt++;
                    }
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private int corruptPacket(int errorsInRow, int code) throws SourceException {
        corrupt++;
        if (corrupt == 1) {
            LOG.warn(
                    "{}: skipping corrupt data after frame {} ({}); counting",
                    name,
                    delivered,
                    FfmpegErrors.describe(code));
        }
        if (errorsInRow + 1 >= options.maxConsecutiveErrors()) {
            throw new SourceException(
                    Kind.DECODE,
                    name,
                    (errorsInRow + 1) + " corrupt packets in a row after frame " + delivered + " (last: "
                            + FfmpegErrors.describe(code) + "); " + corrupt + " in total");
        }
        return errorsInRow + 1;
    }

    private void receiveAudio(VideoFrame frame) {
        while (avcodec_receive_frame(input.audio, samples) == 0) {
            audio.convert(samples, frame);
            av_frame_unref(samples);
        }
    }

    private void drainAudio(VideoFrame frame) {
        if (input.audio != null) {
            avcodec_send_packet(input.audio, null);
            receiveAudio(frame);
        }
    }

    private long ptsMicros() {
        long ts = picture.best_effort_timestamp();
        long pts;
        if (ts == AV_NOPTS_VALUE) {
            pts = lastPts == Long.MIN_VALUE ? 0 : lastPts + frameMicros;
        } else {
            pts = Math.round((ts - startTs) * (double) videoTimeBase.num() * MICROS / videoTimeBase.den());
        }
        if (lastPts != Long.MIN_VALUE && pts <= lastPts) {
            pts = lastPts + 1;
        }
        lastPts = pts;
        return pts;
    }

    private void pace(long pts) {
        long now = System.nanoTime();
        if (paceWallStart == 0) {
            paceWallStart = now;
            pacePtsStart = pts;
            return;
        }
        long due = paceWallStart + TimeUnit.MICROSECONDS.toNanos(pts - pacePtsStart);
        while (!closed.get() && due - System.nanoTime() > 0) {
            long wait = Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20));
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    /** What {@link #open()} returned, or null before. */
    public VideoInfo info() {
        return info;
    }

    /** Corrupt packets and decode errors skipped so far. */
    public long corruptPackets() {
        return corrupt;
    }

    /** Frames delivered by {@link #read} so far. */
    public long framesRead() {
        return delivered;
    }

    /** Unblocks a pending read (which then returns false) and frees FFmpeg's state. Safe from any thread, twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        interrupter.stop();
        lock.lock();
        try {
            if (corrupt > 0) {
                LOG.warn("{}: skipped {} corrupt packets in {} frames", name, corrupt, delivered);
            }
            release();
            interrupter.close();
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        if (input != null) {
            InputOpener.close(input);
            input = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (picture != null) {
            av_frame_free(picture);
            picture = null;
        }
        if (samples != null) {
            av_frame_free(samples);
            samples = null;
        }
        if (rgb != null) {
            rgb.close();
            rgb = null;
        }
        if (audio != null) {
            audio.close();
            audio = null;
        }
    }

    @Override
    public String toString() {
        return "FfmpegSource[" + name + "]";
    }
}

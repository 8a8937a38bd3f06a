package dev.segment.codecs.internal;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;

import dev.segment.codecs.SourceException;
import dev.segment.codecs.SourceException.Kind;
import dev.segment.codecs.SourceOptions;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avdevice;

/** Opens an input with FFmpeg and its decoders, turning every failure into a precise {@link SourceException}. */
public final class InputOpener {
    private InputOpener() {}

    /** The opened demuxer and decoders; the caller owns them and frees them with {@link #close(OpenInput)}. */
    public static final class OpenInput {
        public AVFormatContext format;
        public AVStream videoStream;
        public AVCodecContext video;
        public AVStream audioStream;
        public AVCodecContext audio;
    }

    public static OpenInput open(String url, String name, SourceOptions options, Interrupter interrupter)
            throws SourceException {
        OpenInput in = new OpenInput();
        boolean ok = false;
        try {
            openFormat(in, url, name, options, interrupter);
            if (options.options().containsKey(ANALYZE) && videoSizeMissing(in.format)) {
                // A short probe (live sources get half a second) can end before a stream that carries its parameter
                // sets in-band only, at its next keyframe, has sent them. FFmpeg cannot resume a probe (a second
                // avformat_find_stream_info crashed here), so the input is opened again with FFmpeg's own probe.
                close(in);
                in = new OpenInput();
                openFormat(in, url, name, options.withoutOption(ANALYZE), interrupter);
            }
            openDecoders(in, name, options);
            ok = true;
            return in;
        } finally {
            if (!ok) {
                close(in);
            }
        }
    }

    private static void openFormat(
            OpenInput in, String url, String name, SourceOptions options, Interrupter interrupter)
            throws SourceException {
        AVInputFormat inputFormat = null;
        if (options.format() != null) {
            avdevice.avdevice_register_all();
            inputFormat = av_find_input_format(options.format());
            if (inputFormat == null || inputFormat.isNull()) {
                throw new SourceException(
                        Kind.UNSUPPORTED,
                        name,
                        "input format \"" + options.format() + "\" is not in this FFmpeg build");
            }
        }
        AVFormatContext ctx = avformat_alloc_context();
        interrupter.install(ctx);
        AVDictionary dict = new AVDictionary(null);
        for (Map.Entry<String, String> e : options.options().entrySet()) {
            av_dict_set(dict, e.getKey(), e.getValue(), 0);
        }
        interrupter.deadline(options.openTimeout());
        int r;
        try {
            r = avformat_open_input(ctx, url, inputFormat, dict);
        } finally {
            av_dict_free(dict);
        }
        if (r < 0) {
            // avformat_open_input frees the context on failure
            throw openError(r, name, interrupter);
        }
        in.format = ctx;
        r = avformat_find_stream_info(ctx, (org.bytedeco.javacpp.PointerPointer<?>) null);
        if (r < 0) {
            throw openError(r, name, interrupter);
        }
        interrupter.deadline(java.time.Duration.ZERO);
    }

    /** FFmpeg's option for the probe's length. */
    private static final String ANALYZE = "analyzeduration";

    /** Whether a (non-cover-art) video stream is still without a frame size after probing. */
    private static boolean videoSizeMissing(AVFormatContext ctx) {
        for (int i = 0; i < ctx.nb_streams(); i++) {
            AVStream st = ctx.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                    && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0
                    && st.codecpar().width() <= 0) {
                return true;
            }
        }
        return false;
    }

    private static SourceException openError(int r, String name, Interrupter interrupter) {
        if (r == AVERROR_EXIT || r == FfmpegErrors.ETIMEDOUT) {
            if (interrupter.stopped()) {
                return new SourceException(Kind.IO, name, "closed while opening");
            }
            return new SourceException(
                    Kind.TIMEOUT, name, "timed out while opening (" + FfmpegErrors.describe(r) + ")");
        }
        if (r == FfmpegErrors.ENOENT) {
            return new SourceException(Kind.NOT_FOUND, name, "no such file or URL (" + FfmpegErrors.describe(r) + ")");
        }
        if (r == FfmpegErrors.EACCES || r == FfmpegErrors.EPERM) {
            return new SourceException(Kind.UNREADABLE, name, "permission denied (" + FfmpegErrors.describe(r) + ")");
        }
        if (r == AVERROR_INVALIDDATA) {
            return new SourceException(
                    Kind.NOT_VIDEO, name, "not a media file FFmpeg recognises (" + FfmpegErrors.describe(r) + ")");
        }
        return new SourceException(Kind.IO, name, "cannot open: " + FfmpegErrors.describe(r));
    }

    private static void openDecoders(OpenInput in, String name, SourceOptions options) throws SourceException {
        int v = av_find_best_stream(in.format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (v >= 0 && (in.format.streams(v).disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
            v = -1;
        }
        if (v < 0) {
            throw new SourceException(Kind.NOT_VIDEO, name, "no video stream; found " + describeStreams(in.format));
        }
        in.videoStream = in.format.streams(v);
        in.video = openDecoder(in.videoStream, name, options.decoderThreads(), "video");
        if (options.audio()) {
            int a = av_find_best_stream(in.format, AVMEDIA_TYPE_AUDIO, -1, v, (AVCodec) null, 0);
            if (a >= 0) {
                in.audioStream = in.format.streams(a);
                in.audio = openDecoder(in.audioStream, name, 1, "audio");
            }
        }
    }

    private static AVCodecContext openDecoder(AVStream stream, String name, int threads, String what)
            throws SourceException {
        int codecId = stream.codecpar().codec_id();
        AVCodec codec = avcodec_find_decoder(codecId);
        if (codec == null || codec.isNull()) {
            throw new SourceException(
                    Kind.UNSUPPORTED,
                    name,
                    "no decoder for the " + what + " codec "
                            + avcodec_get_name(codecId).getString() + " in this FFmpeg build");
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        int r = avcodec_parameters_to_context(ctx, stream.codecpar());
        if (r >= 0) {
            ctx.pkt_timebase(stream.time_base());
            ctx.thread_count(threads);
            r = avcodec_open2(ctx, codec, (AVDictionary) null);
        }
        if (r < 0) {
            avcodec_free_context(ctx);
            throw new SourceException(
                    Kind.UNSUPPORTED,
                    name,
                    "cannot open the " + what + " decoder " + codec.name().getString() + ": "
                            + FfmpegErrors.describe(r));
        }
        return ctx;
    }

    /** "audio only (1 stream: mp3)", "no streams", "2 streams: subtitle (subrip), data (bin_data)". */
    static String describeStreams(AVFormatContext ctx) {
        int n = ctx.nb_streams();
        if (n == 0) {
            return "no streams";
        }
        Map<String, Integer> kinds = new TreeMap<>();
        StringBuilder codecs = new StringBuilder();
        for (int i = 0; i < n; i++) {
            AVStream s = ctx.streams(i);
            int type = s.codecpar().codec_type();
            String kind = (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0
                    ? "cover art"
                    : av_get_media_type_string(type) == null
                            ? "unknown"
                            : av_get_media_type_string(type).getString();
            kinds.merge(kind, 1, Integer::sum);
            codecs.append(i == 0 ? "" : ", ")
                    .append(kind)
                    .append(' ')
                    .append(avcodec_get_name(s.codecpar().codec_id()).getString());
        }
        String prefix =
                kinds.size() == 1 ? kinds.keySet().iterator().next() + " only" : String.join(" and ", kinds.keySet());
        return prefix + " (" + n + (n == 1 ? " stream: " : " streams: ") + codecs + ")";
    }

    /** Frees whatever {@code in} holds; safe on a partly opened input and twice. */
    public static void close(OpenInput in) {
        if (in.video != null) {
            avcodec_free_context(in.video);
            in.video = null;
        }
        if (in.audio != null) {
            avcodec_free_context(in.audio);
            in.audio = null;
        }
        if (in.format != null) {
            avformat_close_input(in.format);
            in.format = null;
        }
        in.videoStream = null;
        in.audioStream = null;
    }
}

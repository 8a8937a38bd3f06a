package dev.segment.codecs.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import dev.segment.codecs.VideoFrame;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded audio of any sample format (planar or packed) to interleaved signed 16-bit at the same rate and
 * channel layout, appended to a {@link VideoFrame}. The converter is rebuilt only when the input format changes.
 */
public final class AudioConverter implements AutoCloseable {
    private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(1);
    private SwrContext swr;
    private int inFormat = -1;
    private int inRate = -1;
    private int inChannels = -1;
    private BytePointer out;
    private ShortBuffer outView;

    public void convert(AVFrame samples, VideoFrame frame) {
        int channels = samples.ch_layout().nb_channels();
        int rate = samples.sample_rate();
        int format = samples.format();
        if (channels <= 0 || rate <= 0 || samples.nb_samples() <= 0) {
            return;
        }
        if (swr == null || format != inFormat || rate != inRate || channels != inChannels) {
            reset(samples);
        }
        int maxOut = swr_get_out_samples(swr, samples.nb_samples());
        long bytes = 2L * channels * Math.max(maxOut, samples.nb_samples());
        if (out == null || out.capacity() < bytes) {
            if (out != null) {
                out.close();
            }
            out = new BytePointer(bytes);
            outView = out.capacity(bytes)
                    .asByteBuffer()
                    .order(ByteOrder.nativeOrder())
                    .asShortBuffer();
        }
        outPlanes.put(0, out);
        int got = swr_convert(
                swr, outPlanes, (int) (bytes / (2L * channels)), samples.extended_data(), samples.nb_samples());
        if (got < 0) {
            throw new IllegalStateException("swr_convert failed: " + FfmpegErrors.describe(got));
        }
        ShortBuffer view = outView.duplicate();
        view.position(0).limit(got * channels);
        frame.appendAudio(view, channels, rate);
    }

    private void reset(AVFrame samples) {
        freeSwr();
        SwrContext ctx = new SwrContext(null);
        int r = swr_alloc_set_opts2(
                ctx,
                samples.ch_layout(),
                AV_SAMPLE_FMT_S16,
                samples.sample_rate(),
                samples.ch_layout(),
                samples.format(),
                samples.sample_rate(),
                0,
                null);
        if (r < 0 || ctx.isNull()) {
            throw new IllegalStateException("swr_alloc_set_opts2 failed: " + FfmpegErrors.describe(r));
        }
        r = swr_init(ctx);
        if (r < 0) {
            swr_free(ctx);
            throw new IllegalStateException(
                    "swr_init failed for sample format " + samples.format() + ": " + FfmpegErrors.describe(r));
        }
        swr = ctx;
        inFormat = samples.format();
        inRate = samples.sample_rate();
        inChannels = samples.ch_layout().nb_channels();
    }

    private void freeSwr() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
    }

    @Override
    public void close() {
        freeSwr();
        if (out != null) {
            out.close();
            out = null;
        }
        outPlanes.close();
    }
}

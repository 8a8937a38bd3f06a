package dev.segment.engine.pipeline;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.VocPalette;
import dev.segment.config.KeyframeMode;
import dev.segment.config.OverlayConfig;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.DeepLabSegmenters;
import dev.segment.engine.crf.CrfRefiner;
import dev.segment.engine.deeplab.DeepLabModel;
import java.util.List;

/**
 * Builds a pipeline from a configuration: the embeddable entry point ({@code Pipelines.builder(config, model, source,
 * sinks).start()}), used by every CLI command and by programs that run the engine inside their own process. The model
 * is passed in, so that pipelines of one process share one loaded graph (see {@code ModelCache}).
 */
public final class Pipelines {
    private Pipelines() {}

    /** A builder with model, CRF, overlay, ring and backpressure set from {@code config}; add listeners and start. */
    public static Pipeline.Builder builder(
            SegmentConfig config, DeepLabModel model, FrameSource source, List<? extends FrameSink> sinks) {
        OverlayRenderer overlay = overlay(config);
        Pipeline.Builder b = Pipeline.builder()
                .source(source)
                .sinks(sinks)
                .segmenter(new DeepLabSegmenters(model, config.inference().unpadded()))
                .painter(overlay::render)
                .ringSize(config.pipeline().ringSize())
                .classes(model.classCount())
                .keyframes(config.keyframes());
        b.backpressure(config.pipeline().backpressure());
        if (config.crf().enabled()) {
            b.refiner(new CrfRefiner(config.crf()));
        }
        long max = config.source().maxFrames();
        if (max > 0) {
            b.maxFrames(max);
        }
        return b;
    }

    /** The overlay the configuration asks for (overlay.style, alpha, legend, labels). */
    public static OverlayRenderer overlay(SegmentConfig config) {
        OverlayConfig o = config.overlay();
        return switch (o.style()) {
            case OUTLINE -> OverlayRenderer.outlined(o.alpha(), o.legend(), o.labels());
            case BLEND -> OverlayRenderer.plain(o.alpha(), o.legend(), o.labels());
        };
    }

    /**
     * TensorFlow threads for a pipeline: the configured number, or for 0 (auto) all cores. Measured on 2 cores
     * ({@code segment bench}, 768x432, 60 frames, the other stages asleep while they wait): two threads 7.6 fps
     * against 6.6 for one with the CRF off, 4.5 against 4.2 with it on.
     */
    public static int inferenceThreads(SegmentConfig config) {
        int configured = config.inference().threads();
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Like {@link #inferenceThreads(SegmentConfig)}, for a source that is {@code live} or not. A live source in
     * keyframe mode runs the model beside the stream; for 0 (auto) it then gets one core less than the machine has,
     * so that the stream's own stages (decode, propagation, CRF, encode) keep a core while the model runs. Measured
     * on 2 cores, RTSP at 25 fps with the CRF on, 30 s runs side by side: one TensorFlow thread gave 91.5% and 92.1%
     * of the frames out with capture-to-output p99 197 and 215 ms, two threads 90.1% and 89.8% with p99 311 and
     * 283 ms (the CRF of the frames during a model run took up to 240 ms instead of 25).
     */
    public static int inferenceThreads(SegmentConfig config, boolean live) {
        int threads = inferenceThreads(config);
        boolean beside = live && config.keyframes().mode() == KeyframeMode.AUTO;
        return config.inference().threads() == 0 && beside && threads > 1 ? threads - 1 : threads;
    }

    /** Class names for reports and statistics, by class id. */
    public static List<String> classNames() {
        return VocPalette.classNames();
    }
}

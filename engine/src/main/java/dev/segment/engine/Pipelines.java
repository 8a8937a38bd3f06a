package dev.segment.engine;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.VocPalette;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.deeplab.DeepLabModel;

import java.util.List;

/**
 * Builds a pipeline from a configuration: the embeddable entry point ({@code Pipelines.builder(config, model, source,
 * sinks).start()}), used by every CLI command and by programs that run the engine inside their own process. The model
 * is passed in, so that pipelines of one process share one loaded graph (see {@code ModelCache}).
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** A builder with model, CRF, overlay, ring and backpressure set from {@code config}; add listeners and start. */
    public static Pipeline.Builder builder(SegmentConfig config, DeepLabModel model, FrameSource source,
                                           List<? extends FrameSink> sinks) {
        OverlayRenderer overlay = new OverlayRenderer(config.overlay().alpha(), config.overlay().legend());
        Pipeline.Builder b = Pipeline.builder()
                .source(source)
                .sinks(sinks)
                .segmenter(new DeepLabSegmenters(model, config.inference().unpadded()))
                .painter(overlay::render)
                .ringSize(config.pipeline().ringSize())
                .classes(model.classCount())
                .keyframes(config.keyframes());
        switch (config.pipeline().backpressure()) {
            case BLOCK -> b.backpressure(Backpressure.BLOCK);
            case DROP_OLDEST -> b.backpressure(Backpressure.DROP_WHEN_FULL);
            case AUTO -> b.backpressure(null);
        }
        if (config.crf().enabled()) {
            b.refiner(new CrfRefiner(config.crf()));
        }
        long max = config.source().maxFrames();
        if (max > 0) {
            b.maxFrames(max);
        }
        return b;
    }

    /**
     * TensorFlow threads for a pipeline: the configured number, or for 0 (auto) all cores. Session 1 measured one
     * thread ahead on 2 cores (7.7 fps end to end against 6.0), but the other stages were then busy-spinning on a core
     * while they waited (the Disruptor's BlockingWaitStrategy); with them asleep, two threads give 7.6 fps against 6.6
     * with the CRF off and 4.5 against 4.2 with it on ({@code segment bench}, 768x432, 60 frames).
     */
    public static int inferenceThreads(SegmentConfig config) {
        int configured = config.inference().threads();
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Class names for reports and statistics, by class id. */
    public static List<String> classNames() {
        return VocPalette.classNames();
    }
}

package dev.segment.engine;

import dev.segment.codecs.VideoInfo;

/**
 * Observes a running pipeline: progress bars, statistics files, metrics. Called from the pipeline's threads
 * ({@link #onFrame} from the output stage, {@link #onDrop} from the source thread): implementations must be quick
 * and must not block.
 */
public interface PipelineListener {

    default void onStart(VideoInfo info) {}

    default void onFrame(FrameReport report) {}

    /** A live frame was dropped at the source to keep latency bounded; {@code totalDrops} counts all so far. */
    default void onDrop(long totalDrops) {}

    default void onFinish(PipelineSummary summary) {}

    /** Calls each listener in turn. */
    static PipelineListener all(java.util.List<? extends PipelineListener> listeners) {
        java.util.List<PipelineListener> copy = java.util.List.copyOf(listeners);
        return new PipelineListener() {
            @Override
            public void onStart(VideoInfo info) {
                copy.forEach(l -> l.onStart(info));
            }

            @Override
            public void onFrame(FrameReport report) {
                copy.forEach(l -> l.onFrame(report));
            }

            @Override
            public void onDrop(long totalDrops) {
                copy.forEach(l -> l.onDrop(totalDrops));
            }

            @Override
            public void onFinish(PipelineSummary summary) {
                copy.forEach(l -> l.onFinish(summary));
            }
        };
    }
}

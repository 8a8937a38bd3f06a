package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * DeepLab inference.
 *
 * @param unpadded feed the graph at the frame's aspect ratio instead of the padded square crop
 * @param threads TensorFlow threads; 0 = auto: all cores, one less for a live source in keyframe mode (see
 *     Pipelines.inferenceThreads)
 */
public record InferenceConfig(boolean unpadded, int threads) {
    public InferenceConfig {
        Check.atLeast("threads", threads, 0);
    }
}

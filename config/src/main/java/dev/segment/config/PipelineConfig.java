package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * The frame ring between the source and the stages.
 *
 * @param ringSize number of preallocated frame slots, a power of two 2..1024
 * @param backpressure what happens when the ring is full
 */
public record PipelineConfig(int ringSize, Backpressure backpressure) {
    public PipelineConfig {
        Check.powerOfTwo("ringSize", ringSize, 2, 1024);
        Check.notNull("backpressure", backpressure);
    }
}

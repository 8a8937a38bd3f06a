package dev.segment.engine;

/** What the source does when the pipeline is full. */
public enum Backpressure {
    /** Wait for room: no frame is ever dropped (files). */
    BLOCK,
    /**
     * Never wait: a frame decoded while the pipeline is full is dropped and counted, so the next frame admitted is the
     * newest the source has and capture-to-output latency stays bounded (cameras).
     */
    DROP_WHEN_FULL
}

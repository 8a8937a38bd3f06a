package dev.segment.engine;

/** What the source does when the pipeline is full. */
public enum Backpressure {
    /** Wait for room: no frame is ever dropped (files). */
    BLOCK,
    /**
     * Never wait, and start inference on the newest frame (cameras): a frame waiting for inference is replaced by each
     * newer capture until inference takes it, and a frame decoded while the later stages are full is dropped; both
     * are counted as dropped. Capture-to-output latency stays about one pass through the stages.
     */
    DROP_WHEN_FULL
}

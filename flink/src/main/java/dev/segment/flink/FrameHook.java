package dev.segment.flink;

import java.io.Serializable;

/**
 * Called by a worker right after it emitted a frame record (on the Flink task thread). For tests that make a worker
 * fail mid-file: an exception thrown here fails the task, and Flink restarts it from the last checkpoint.
 */
@FunctionalInterface
public interface FrameHook extends Serializable {
    FrameHook NONE = record -> {};

    void emitted(FrameRecord record);
}

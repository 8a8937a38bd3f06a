package dev.segment.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segment.config.SegmentConfig;
import org.junit.jupiter.api.Test;

/** TensorFlow's thread count: a live source in keyframe mode leaves the stream a core; a configured count is kept. */
class PipelinesThreadsTest {
    private final int cores = Runtime.getRuntime().availableProcessors();

    @Test
    void aLiveSourceInKeyframeModeLeavesTheStreamACore() {
        SegmentConfig auto = SegmentConfig.defaults();
        assertEquals(cores, Pipelines.inferenceThreads(auto, false), "a file: every core");
        assertEquals(Math.max(1, cores - 1), Pipelines.inferenceThreads(auto, true), "live, keyframes auto");
    }

    @Test
    void everyFrameOrAConfiguredCountKeepsItsThreads() throws Exception {
        SegmentConfig all = SegmentConfig.defaults().withOverride("keyframes.mode", "all", "test");
        assertEquals(cores, Pipelines.inferenceThreads(all, true), "live, the model on every frame: every core");
        SegmentConfig three = SegmentConfig.defaults().withOverride("inference.threads", "3", "test");
        assertEquals(3, Pipelines.inferenceThreads(three, true));
    }
}

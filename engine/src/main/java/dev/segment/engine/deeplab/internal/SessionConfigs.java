package dev.segment.engine.deeplab.internal;

import org.tensorflow.proto.ConfigProto;

/** TensorFlow session options from the {@code inference.threads} setting. */
public final class SessionConfigs {

    private SessionConfigs() {}

    /**
     * @param threads intra- and inter-op thread pool size; 0 leaves both to TensorFlow (one per core)
     */
    public static ConfigProto forThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException(
                    "inference threads must be >= 0 (0 = TensorFlow default), got " + threads);
        }
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (threads > 0) {
            config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        return config.build();
    }
}

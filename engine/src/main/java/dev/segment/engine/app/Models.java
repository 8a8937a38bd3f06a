package dev.segment.engine.app;

import dev.segment.config.ConfigException;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.engine.deeplab.ModelException;
import dev.segment.engine.pipeline.Pipelines;
import java.nio.file.Path;

/** The model a run uses: the one "no model" check, and the process-wide cache every run acquires it from. */
public final class Models {
    /** What to do when no model is configured, for callers without a user configuration of their own. */
    public static final String NO_MODEL =
            "a DeepLab frozen graph is required (--model GRAPH.pb or model.path in --config)";

    private Models() {}

    /**
     * Fails naming {@code --model} and {@code model.path} when the configuration names no model.
     *
     * @param whatToDo the message: every way to give a model that the caller offers
     */
    public static void require(SegmentConfig config, String whatToDo) throws ConfigException {
        if (config.model().path() == null) {
            throw new ConfigException("--model", "model.path", null, whatToDo);
        }
    }

    /**
     * The configured model from the process-wide cache, with the TensorFlow threads for a {@code live} source or a
     * file ({@link Pipelines#inferenceThreads(SegmentConfig, boolean)}). The caller closes it.
     */
    public static DeepLabModel acquire(SegmentConfig config, boolean live) throws ConfigException, ModelException {
        require(config, NO_MODEL);
        return ModelCache.processWide()
                .acquire(Path.of(config.model().path()), Pipelines.inferenceThreads(config, live));
    }
}

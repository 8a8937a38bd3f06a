package dev.segment.engine.app;

import dev.segment.engine.PipelineSummary;
import dev.segment.engine.pipeline.Pipeline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ctrl-C and SIGTERM run the JVM's shutdown hooks: this one stops the pipeline's source and waits until the frames in
 * flight are written and every output is finalized, then reports. The JVM exits with 130 (SIGINT) or 143 (SIGTERM)
 * after it.
 */
public final class FinalizeOnSignal {
    private final Thread hook;

    private FinalizeOnSignal(Thread hook) {
        this.hook = hook;
    }

    /**
     * Installs the hook for {@code pipeline}.
     *
     * @param wait how long the hook waits for the outputs to be finalized
     * @param finalized told the run's summary once the outputs are finalized
     * @param failed told why finalizing failed or did not end within {@code wait}
     */
    public static FinalizeOnSignal install(
            Pipeline pipeline, Duration wait, Consumer<PipelineSummary> finalized, Consumer<Exception> failed) {
        Thread hook = new Thread(
                () -> {
                    pipeline.stop();
                    PipelineSummary summary;
                    try {
                        summary = pipeline.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        failed.accept(e);
                        return;
                    }
                    finalized.accept(summary);
                },
                "segment-finalize-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        return new FinalizeOnSignal(hook);
    }

    /**
     * Removes the hook once the run has ended by itself. False when a signal came first: the hook is running (it
     * finalizes and reports) and the process is exiting.
     */
    public boolean remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}

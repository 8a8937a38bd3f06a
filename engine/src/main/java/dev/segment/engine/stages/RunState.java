package dev.segment.engine.stages;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the threads of one run share: the stop request, the first failure, counters and the end of the run. */
final class RunState {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicLong framesDropped = new AtomicLong();
    /** Frames the model ran on (every frame with keyframes off). */
    final AtomicLong keyframes = new AtomicLong();
    /** Completed by the output stage once the end-of-stream marker has passed and every sink is closed. */
    final CompletableFuture<Void> drained = new CompletableFuture<>();

    /** Records the first failure of the run (later ones are attached to it as suppressed) and asks everything to stop. */
    void fail(Throwable t) {
        if (!failure.compareAndSet(null, t)) {
            Throwable first = failure.get();
            if (first != t) {
                first.addSuppressed(t);
            }
        }
        stopRequested.set(true);
    }

    boolean failed() {
        return failure.get() != null;
    }

    Throwable failure() {
        return failure.get();
    }

    void requestStop() {
        stopRequested.set(true);
    }

    boolean stopRequested() {
        return stopRequested.get();
    }
}

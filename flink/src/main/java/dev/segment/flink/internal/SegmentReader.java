package dev.segment.flink.internal;

import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.flink.FrameRecord;
import dev.segment.flink.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: converts its streams one after the other, each with the engine's pipeline on a thread of its own
 * ({@link SplitRun}), and emits the records the pipeline hands over through a bounded queue. Flink's task thread
 * never blocks here: when the queue is empty {@link #pollNext} returns {@code NOTHING_AVAILABLE} and the future of
 * {@link #isAvailable()} completes when the pipeline puts the next record.
 *
 * <p>Exactly once: the split's state is the number of frame records emitted so far. After a failure Flink restores
 * the split with the count of the last checkpoint and the file is converted again from its start (a video cannot be
 * resumed half-written); records of frames below the count are not emitted again, so with the checkpointed file sink
 * every frame is recorded once.
 */
public final class SegmentReader implements SourceReader<FrameRecord, StreamSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReader.class);
    private static final long JOIN_MILLIS = 60_000;

    private final SourceReaderContext context;
    private final JobSettings settings;
    private final String runId;
    private final int worker;
    private final BlockingQueue<FrameRecord> queue;
    private final Deque<StreamSplit> pending = new ArrayDeque<>();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private SegmentConfig config;
    private DeepLabModel model;
    private StreamSplit current;
    private SplitRun run;
    private Thread thread;
    private boolean noMoreSplits;
    private boolean awaitingSplit;
    private boolean closed;

    public SegmentReader(SourceReaderContext context, JobSettings settings, String runId) {
        this.context = context;
        this.settings = settings;
        this.runId = runId;
        this.worker = context.getIndexOfSubtask();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    @Override
    public void start() {
        requestSplitIfIdle();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<FrameRecord> output) throws Exception {
        while (true) {
            if (current == null && !startNext()) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                requestSplitIfIdle();
                return waitForMore();
            }
            FrameRecord record = queue.poll();
            if (record == null) {
                return waitForMore();
            }
            if (record.describesFrame()) {
                if (!current.live() && record.stats.frame() < current.framesEmitted()) {
                    continue; // emitted before the failure this run recovers from
                }
                output.collect(record);
                current = current.withFramesEmitted(record.stats.frame() + 1);
                settings.hook().emitted(record);
                return InputStatus.MORE_AVAILABLE;
            }
            output.collect(record);
            finishCurrent();
            return pending.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
        }
    }

    /** Starts the pipeline of the next pending split; false when there is none. */
    private boolean startNext() {
        StreamSplit next = pending.poll();
        if (next == null) {
            return false;
        }
        if (model == null) {
            try {
                config = settings.loadConfig();
                model = Models.acquire(config, false);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "worker " + worker + ": cannot load the configuration or the model: " + e.getMessage(), e);
            }
        }
        current = next;
        queue.clear();
        run = new SplitRun(next, config, model, settings.outputDir(), runId, worker, queue, this::wake);
        thread = new Thread(run, "segment-split-w" + worker + "-" + next.id());
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "worker {}: converting {} to {}{}",
                worker,
                SplitRun.shownName(next),
                next.outputName(),
                next.framesEmitted() > 0
                        ? " (again: " + next.framesEmitted() + " frames were emitted before a" + " failure)"
                        : "");
        return true;
    }

    private void finishCurrent() throws InterruptedException {
        thread.join(JOIN_MILLIS);
        current = null;
        run = null;
        thread = null;
        requestSplitIfIdle();
    }

    private void requestSplitIfIdle() {
        if (current == null && pending.isEmpty() && !noMoreSplits && !awaitingSplit) {
            awaitingSplit = true;
            context.sendSplitRequest();
        }
    }

    private InputStatus waitForMore() {
        synchronized (lock) {
            if (!queue.isEmpty() || (current == null && (!pending.isEmpty() || noMoreSplits))) {
                return InputStatus.MORE_AVAILABLE;
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void wake() {
        CompletableFuture<Void> f;
        synchronized (lock) {
            f = available;
        }
        f.complete(null);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public List<StreamSplit> snapshotState(long checkpointId) {
        List<StreamSplit> state = new ArrayList<>(pending.size() + 1);
        if (current != null) {
            state.add(current);
        }
        state.addAll(pending);
        return state;
    }

    @Override
    public void addSplits(List<StreamSplit> splits) {
        pending.addAll(splits);
        awaitingSplit = false;
        wake();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        awaitingSplit = false;
        wake();
    }

    /** Stops a running pipeline (its temporary video is deleted) and releases the model; safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (run != null) {
                LOG.info(
                        "worker {}: stopping {} after {} frames",
                        worker,
                        SplitRun.shownName(current),
                        current.framesEmitted());
                run.cancel();
                try {
                    thread.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // Flink interrupts a task that takes long to cancel
                }
                Files.deleteIfExists(run.tempPath());
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }
}

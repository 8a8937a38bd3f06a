package dev.segment.flink.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out streams on request, one at a time: a worker asks for its next stream when it has none, so long and short
 * files balance over the workers. Splits of a failed worker come back here and go to the next worker that asks.
 * When the list is empty a worker that asks is told there are no more. Its checkpoint is the list not assigned yet.
 */
public final class StreamSplitEnumerator implements SplitEnumerator<StreamSplit, List<StreamSplit>> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSplitEnumerator.class);

    private final SplitEnumeratorContext<StreamSplit> context;
    private final Deque<StreamSplit> unassigned;

    public StreamSplitEnumerator(SplitEnumeratorContext<StreamSplit> context, Collection<StreamSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayDeque<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String hostname) {
        if (!context.registeredReaders().containsKey(subtask)) {
            return; // the reader failed in the meantime
        }
        StreamSplit next = unassigned.poll();
        if (next != null) {
            // Said in the user's words (the job's log is the CLI's): a first start, or a take-over after a failure.
            if (next.framesEmitted() == 0) {
                LOG.info("worker {} takes {}", subtask, SplitRun.shownName(next));
            } else {
                LOG.info(
                        "worker {} takes {} over, from its frame {} on",
                        subtask,
                        SplitRun.shownName(next),
                        next.framesEmitted());
            }
            context.assignSplit(next, subtask);
        } else {
            context.signalNoMoreSplits(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<StreamSplit> splits, int subtask) {
        LOG.info(
                "{} stream(s) of failed worker {} are handed out again: {}",
                splits.size(),
                subtask,
                splits.stream().map(SplitRun::shownName).toList());
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtask) {
        // readers ask for splits themselves when they are idle
    }

    @Override
    public List<StreamSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}

package dev.segment.flink;

import dev.segment.flink.internal.SegmentReader;
import dev.segment.flink.internal.StreamSplit;
import dev.segment.flink.internal.StreamSplitEnumerator;
import dev.segment.flink.internal.StreamSplitSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The engine as a Flink source: one split per stream (a video file, bounded, or a camera URL, unbounded); each
 * parallel reader runs the segmentation pipeline over the streams it is given, one at a time, writes the overlay
 * video into the output directory and emits one {@link FrameRecord} per output frame, then one record saying how
 * the stream ended. The source is bounded when every input is a file.
 *
 * <p>A camera occupies its worker for as long as the job runs: give the job at least as many parallel workers as it
 * has cameras, plus some for files.
 */
public final class SegmentSource implements Source<FrameRecord, StreamSplit, List<StreamSplit>> {
    private static final long serialVersionUID = 1L;

    private final List<StreamSplit> splits;
    private final JobSettings settings;
    private final String runId;

    private SegmentSource(List<StreamSplit> splits, JobSettings settings, String runId) {
        this.splits = splits;
        this.settings = settings;
        this.runId = runId;
    }

    /** A source over {@code inputs} (files or URLs, see {@link InputList}), with a new run id. */
    public static SegmentSource of(List<String> inputs, JobSettings settings) {
        return of(inputs, settings, SegmentJob.newRunId());
    }

    /**
     * A source over {@code inputs} for job run {@code runId}: the workers' temporary videos carry it, so that a
     * worker can tell the leftovers of earlier attempts at its input, and {@link SegmentJob#removeLeftovers} those
     * of the whole run.
     */
    public static SegmentSource of(List<String> inputs, JobSettings settings, String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("run id must be letters, digits, '-' and '_', got " + runId);
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs: give at least one video file or camera URL");
        }
        List<StreamSplit> splits = new ArrayList<>();
        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            boolean live = InputList.isLive(input);
            String stem = stemOf(input, i);
            int seen = taken.merge(stem.toLowerCase(Locale.ROOT), 1, Integer::sum);
            String name = (seen == 1 ? stem : stem + "-" + seen) + ".mp4";
            splits.add(new StreamSplit(Integer.toString(i), input, name, live, 0));
        }
        return new SegmentSource(List.copyOf(splits), settings, runId);
    }

    /**
     * The output file's stem: a file's name without its extension; for a URL its last path segment, or "camera-N".
     * Characters other than letters, digits, dot, dash and underscore become "_".
     */
    static String stemOf(String input, int position) {
        String s = input;
        if (InputList.isLive(s)) {
            int query = s.indexOf('?');
            s = query >= 0 ? s.substring(0, query) : s;
            int scheme = s.indexOf("://");
            String rest = scheme >= 0 ? s.substring(scheme + 3) : s;
            int slash = rest.lastIndexOf('/');
            s = slash >= 0 && slash < rest.length() - 1 ? rest.substring(slash + 1) : "camera-" + position;
        } else {
            int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
            s = s.substring(slash + 1);
            int dot = s.lastIndexOf('.');
            s = dot > 0 ? s.substring(0, dot) : s;
        }
        s = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "input-" + position + s : s;
    }

    /** Output video file names by input, in input order. */
    public Map<String, String> outputNames() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        splits.forEach(s -> names.put(s.input(), s.outputName()));
        return names;
    }

    @Override
    public Boundedness getBoundedness() {
        return splits.stream().anyMatch(StreamSplit::live) ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<FrameRecord, StreamSplit> createReader(SourceReaderContext context) {
        return new SegmentReader(context, settings, runId);
    }

    @Override
    public SplitEnumerator<StreamSplit, List<StreamSplit>> createEnumerator(
            SplitEnumeratorContext<StreamSplit> context) {
        return new StreamSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<StreamSplit, List<StreamSplit>> restoreEnumerator(
            SplitEnumeratorContext<StreamSplit> context, List<StreamSplit> checkpoint) {
        return new StreamSplitEnumerator(context, (Collection<StreamSplit>) checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<StreamSplit> getSplitSerializer() {
        return StreamSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<StreamSplit>> getEnumeratorCheckpointSerializer() {
        return StreamSplitSerializer.Pending.INSTANCE;
    }
}

package dev.segment.flink.internal;

import dev.segment.engine.pipeline.Pipelines;
import dev.segment.flink.FrameRecord;
import dev.segment.flink.Occupancy;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Tumbling windows of stream time per input: the mean class shares of each input's frames over each window of its
 * presentation time, emitted when the first frame of the next window arrives and, for the last window, when the
 * input's complete or failed record arrives.
 *
 * <p>Written as a keyed process function rather than with Flink's event-time windows because every input has a
 * clock of its own (each file starts at 0): one watermark per operator would declare the frames of a file that
 * starts later to be late. Keyed state, so the open window survives a failure with the checkpoint.
 */
public final class OccupancyAggregator extends KeyedProcessFunction<String, FrameRecord, Occupancy> {
    private static final long serialVersionUID = 1L;

    private final long windowMicros;
    private transient ValueState<Occupancy> open;
    private transient List<String> classNames;

    public OccupancyAggregator(long windowMicros) {
        if (windowMicros < 1) {
            throw new IllegalArgumentException("windowMicros must be >= 1, got " + windowMicros);
        }
        this.windowMicros = windowMicros;
    }

    @Override
    public void open(OpenContext context) {
        open = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("occupancy", TypeInformation.of(Occupancy.class)));
        classNames = Pipelines.classNames();
    }

    @Override
    public void processElement(FrameRecord record, Context ctx, Collector<Occupancy> out) throws Exception {
        Occupancy window = open.value();
        if (!record.describesFrame()) {
            if (window != null) {
                out.collect(finish(window));
                open.clear();
            }
            return;
        }
        long start = Math.floorDiv(Math.round(record.stats.ptsMs() * 1000), windowMicros) * windowMicros;
        if (window != null && window.windowStartMicros != start) {
            out.collect(finish(window));
            window = null;
        }
        if (window == null) {
            window = new Occupancy();
            window.input = record.input;
            window.windowStartMicros = start;
            window.windowEndMicros = start + windowMicros;
            window.meanFractions = new double[classNames.size()];
        }
        window.frames++;
        for (Map.Entry<String, Double> share : record.stats.fractions().entrySet()) {
            int id = classNames.indexOf(share.getKey());
            if (id >= 0) {
                window.meanFractions[id] += share.getValue(); // sums until finish()
            }
        }
        open.update(window);
    }

    private Occupancy finish(Occupancy sums) {
        int top = 0;
        for (int i = 0; i < sums.meanFractions.length; i++) {
            sums.meanFractions[i] /= sums.frames;
            if (i > 0 && sums.meanFractions[i] > (top == 0 ? 0 : sums.meanFractions[top])) {
                top = i;
            }
        }
        sums.topClass = top < classNames.size() ? classNames.get(top) : Integer.toString(top);
        return sums;
    }
}

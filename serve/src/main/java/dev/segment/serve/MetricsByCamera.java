package dev.segment.serve;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every camera's pipeline metrics in the service's registry, each series with a {@code camera} label: each camera keeps
 * the registry its {@code PipelineMetrics} registered in (the same metrics as {@code segment stream}), and at scrape
 * time their snapshots are merged by metric name with the label added. The Prometheus client has no relabelling of
 * its own; this copies the three kinds {@code PipelineMetrics} uses (counters, gauges, histograms).
 */
final class MetricsByCamera implements MultiCollector {
    private final Supplier<Map<String, PrometheusRegistry>> cameras;

    /** @param cameras the cameras now running, by name, asked at every scrape */
    MetricsByCamera(Supplier<Map<String, PrometheusRegistry>> cameras) {
        this.cameras = cameras;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        Map<String, List<DataPointSnapshot>> points = new LinkedHashMap<>();
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, PrometheusRegistry> c : cameras.get().entrySet()) {
            for (MetricSnapshot m : c.getValue().scrape()) {
                String name = m.getMetadata().getPrometheusName();
                if (kinds.containsKey(name) && kinds.get(name) != m.getClass()) {
                    continue;
                }
                kinds.put(name, m.getClass());
                metadata.putIfAbsent(name, m.getMetadata());
                List<DataPointSnapshot> list = points.computeIfAbsent(name, k -> new ArrayList<>());
                for (DataPointSnapshot d : m.getDataPoints()) {
                    DataPointSnapshot relabelled = relabel(d, d.getLabels().add("camera", c.getKey()));
                    if (relabelled != null) {
                        list.add(relabelled);
                    }
                }
            }
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Map.Entry<String, List<DataPointSnapshot>> e : points.entrySet()) {
            MetricMetadata md = metadata.get(e.getKey());
            Class<?> kind = kinds.get(e.getKey());
            List<DataPointSnapshot> list = e.getValue();
            if (kind == CounterSnapshot.class) {
                out.metricSnapshot(new CounterSnapshot(md, cast(list)));
            } else if (kind == GaugeSnapshot.class) {
                out.metricSnapshot(new GaugeSnapshot(md, cast(list)));
            } else if (kind == HistogramSnapshot.class) {
                out.metricSnapshot(new HistogramSnapshot(md, cast(list)));
            }
        }
        return out.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<DataPointSnapshot> list) {
        return (List<T>) (List<?>) list;
    }

    private static DataPointSnapshot relabel(DataPointSnapshot d, Labels labels) {
        if (d instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            return new CounterSnapshot.CounterDataPointSnapshot(
                    c.getValue(), labels, c.getExemplar(), c.hasCreatedTimestamp() ? c.getCreatedTimestampMillis() : 0);
        }
        if (d instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            return new GaugeSnapshot.GaugeDataPointSnapshot(g.getValue(), labels, g.getExemplar());
        }
        if (d instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            return new HistogramSnapshot.HistogramDataPointSnapshot(
                    h.hasClassicHistogramData()
                            ? h.getClassicBuckets()
                            : io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets.EMPTY,
                    h.hasNativeHistogramData() ? h.getNativeSchema() : HistogramSnapshot.CLASSIC_HISTOGRAM,
                    h.hasNativeHistogramData() ? h.getNativeZeroCount() : 0,
                    h.hasNativeHistogramData() ? h.getNativeZeroThreshold() : 0,
                    h.hasNativeHistogramData()
                            ? h.getNativeBucketsForPositiveValues()
                            : io.prometheus.metrics.model.snapshots.NativeHistogramBuckets.EMPTY,
                    h.hasNativeHistogramData()
                            ? h.getNativeBucketsForNegativeValues()
                            : io.prometheus.metrics.model.snapshots.NativeHistogramBuckets.EMPTY,
                    h.hasSum() ? h.getSum() : Double.NaN,
                    labels,
                    h.getExemplars(),
                    h.hasCreatedTimestamp() ? h.getCreatedTimestampMillis() : 0);
        }
        return null;
    }
}

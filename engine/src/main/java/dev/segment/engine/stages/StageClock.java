package dev.segment.engine.stages;

import dev.segment.engine.PipelineSummary.StageStats;

/**
 * Running statistics of one stage's per-frame time: count, mean CPU time, mean and an approximate 95th percentile from a
 * log-scale histogram (buckets 1% apart from 1 us to 100 s), so a run of any length keeps constant memory.
 * Written by one stage thread, read at the end of the run after the threads have finished.
 */
final class StageClock {
    private static final double LOG_STEP = Math.log(1.01);
    private static final int BUCKETS = (int) Math.ceil(Math.log(1e8) / LOG_STEP) + 1;

    private final long[] counts = new long[BUCKETS];
    private long samples;
    private double totalNanos;
    private double totalCpuNanos;

    /** One frame's wall time in the stage, and the CPU time its thread spent on it. */
    void record(long nanos, long cpuNanos) {
        samples++;
        totalNanos += nanos;
        totalCpuNanos += cpuNanos;
        double micros = Math.max(1.0, nanos / 1e3);
        int bucket = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / LOG_STEP));
        counts[bucket]++;
    }

    StageStats stats() {
        if (samples == 0) {
            return new StageStats(0, 0, 0, 0);
        }
        long rank = (long) Math.ceil(samples * 0.95);
        long seen = 0;
        int bucket = 0;
        for (; bucket < BUCKETS; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                break;
            }
        }
        double p95Micros = Math.exp((bucket + 1) * LOG_STEP);
        return new StageStats(totalNanos / samples / 1e6, p95Micros / 1e3, samples, totalCpuNanos / samples / 1e6);
    }
}

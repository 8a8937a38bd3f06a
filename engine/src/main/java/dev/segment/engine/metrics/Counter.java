package dev.segment.engine.metrics;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A value that only goes up. Either owned ({@link #inc()}, lock-free, many writers) or read from a supplier that
 * already counts (e.g. a pipeline's frames written).
 */
public final class Counter implements Metric {
    private final String name;
    private final String help;
    private final Map<String, String> labels;
    private final LongAdder adder;
    private final LongSupplier supplier;

    Counter(String name, String help, Map<String, String> labels, LongSupplier supplier) {
        this.name = name;
        this.help = help;
        this.labels = labels;
        this.supplier = supplier;
        this.adder = supplier == null ? new LongAdder() : null;
    }

    public void inc() {
        add(1);
    }

    public void add(long n) {
        if (adder == null) {
            throw new IllegalStateException(name + " is read from a supplier and cannot be incremented");
        }
        if (n < 0) {
            throw new IllegalArgumentException(name + ": a counter only goes up, got " + n);
        }
        adder.add(n);
    }

    public long get() {
        return adder != null ? adder.sum() : supplier.getAsLong();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public String type() {
        return "counter";
    }
}

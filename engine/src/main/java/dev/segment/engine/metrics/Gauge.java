package dev.segment.engine.metrics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** A value that goes up and down: set by its owner ({@link #set}) or read from a supplier at scrape time. */
public final class Gauge implements Metric {
    private final String name;
    private final String help;
    private final Map<String, String> labels;
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));
    private final DoubleSupplier supplier;

    Gauge(String name, String help, Map<String, String> labels, DoubleSupplier supplier) {
        this.name = name;
        this.help = help;
        this.labels = labels;
        this.supplier = supplier;
    }

    public void set(double value) {
        if (supplier != null) {
            throw new IllegalStateException(name + " is read from a supplier and cannot be set");
        }
        bits.set(Double.doubleToRawLongBits(value));
    }

    public double get() {
        return supplier != null ? supplier.getAsDouble() : Double.longBitsToDouble(bits.get());
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
        return "gauge";
    }
}

package dev.segment.engine.diagnostics;

/** The memory counters a {@link MemorySample} holds, with the unit they are printed in. */
public enum MemoryCounter {
    /** Resident set size of the process ({@code VmRSS} in {@code /proc/self/status}). */
    RSS("rss", true),
    /** Java heap in use right now (garbage included: a sawtooth). */
    HEAP_USED("heap", true),
    /** Java heap the JVM has committed (reserved and mostly touched: part of the RSS even when not in use). */
    HEAP_COMMITTED("heap-com", true),
    /** Java heap in use just after the most recent garbage collection (close to the live set; -1 before any GC). */
    HEAP_AFTER_GC("heap-gc", true),
    /** Memory held by direct NIO buffers ({@code BufferPoolMXBean "direct"}). */
    DIRECT_BYTES("direct", true),
    /** Number of direct NIO buffers alive. */
    DIRECT_BUFFERS("direct#", false),
    /**
     * Bytes of JavaCPP pointers with a registered size and not yet freed ({@code Pointer.totalBytes()}): memory
     * JavaCPP allocates itself ({@code new BytePointer(n)}); FFmpeg's and TensorFlow's own allocations are not in it.
     */
    JAVACPP_BYTES("javacpp", true),
    /**
     * Physical memory as JavaCPP measures it ({@code Pointer.physicalBytes()}: resident minus shared pages of
     * {@code /proc/self/statm} on Linux, so the mapped libraries are left out: the anonymous memory where leaks show).
     */
    JAVACPP_PHYSICAL("physical", true),
    /** JavaCPP pointers with a deallocator still registered ({@code Pointer.totalCount()}). */
    JAVACPP_POINTERS("pointers", false);

    private final String label;
    private final boolean bytes;

    MemoryCounter(String label, boolean bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** Short column name. */
    public String label() {
        return label;
    }

    /** True when the value is a byte count (printed in MiB), false for a count of objects. */
    public boolean isBytes() {
        return bytes;
    }
}

package dev.segment.engine.diagnostics;

/**
 * The memory counters of the process at one moment, taken by {@link NativeMemoryProbe#sample(long)}. A value of -1
 * means "not available on this platform" (or, for {@link #heapAfterGcBytes}, "no collection yet").
 *
 * @param iteration          what the caller was at (a frame index, a loop iteration)
 * @param nanos              {@link System#nanoTime()} when the sample was taken
 * @param rssBytes           resident set size
 * @param heapUsedBytes      Java heap in use
 * @param heapCommittedBytes Java heap committed
 * @param heapAfterGcBytes   Java heap in use after the latest collection
 * @param directBytes        direct NIO buffer memory
 * @param directBuffers      direct NIO buffers alive
 * @param javacppBytes       JavaCPP's allocated bytes
 * @param javacppPhysical    JavaCPP's physical bytes
 * @param javacppPointers    JavaCPP's live deallocators
 */
public record MemorySample(
        long iteration,
        long nanos,
        long rssBytes,
        long heapUsedBytes,
        long heapCommittedBytes,
        long heapAfterGcBytes,
        long directBytes,
        long directBuffers,
        long javacppBytes,
        long javacppPhysical,
        long javacppPointers) {

    /** The value of one counter. */
    public long get(MemoryCounter counter) {
        return switch (counter) {
            case RSS -> rssBytes;
            case HEAP_USED -> heapUsedBytes;
            case HEAP_COMMITTED -> heapCommittedBytes;
            case HEAP_AFTER_GC -> heapAfterGcBytes;
            case DIRECT_BYTES -> directBytes;
            case DIRECT_BUFFERS -> directBuffers;
            case JAVACPP_BYTES -> javacppBytes;
            case JAVACPP_PHYSICAL -> javacppPhysical;
            case JAVACPP_POINTERS -> javacppPointers;
        };
    }
}

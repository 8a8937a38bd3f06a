package dev.segment.engine.stages;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time (user + system), for the stages' CPU-ms a frame: what a stage costs the machine,
 * unlike its wall time, which on 2 busy cores also counts the time it waited for a core. On Linux a read is a
 * {@code clock_gettime} of well under a microsecond. Work a stage hands to threads of its own (the CRF's worker pool,
 * TensorFlow's, x264's) is not in it.
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    private ThreadCpu() {}

    /** CPU nanoseconds the whole process (every thread) has used so far; -1 where the JVM cannot tell. */
    public static long process() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /** CPU nanoseconds the calling thread has used so far; 0 where the JVM cannot tell. */
    public static long now() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : 0;
    }
}

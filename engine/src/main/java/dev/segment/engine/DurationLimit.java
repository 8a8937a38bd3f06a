package dev.segment.engine;

import java.util.concurrent.TimeUnit;

/**
 * Ends a run at a deadline, whatever it is doing then: waiting for a camera that does not answer, backing off
 * between reconnection attempts, or streaming. A thread sleeps until the deadline and runs the stop action once;
 * {@link #close()} (idempotent) cancels it. Written by hand: one sleeping thread is all a single deadline needs.
 */
public final class DurationLimit implements AutoCloseable {
    private final Thread thread;
    private volatile boolean fired;

    private DurationLimit(long deadlineNanos, Runnable stop) {
        thread = new Thread(
                () -> {
                    try {
                        long left;
                        while ((left = deadlineNanos - System.nanoTime()) > 0) {
                            TimeUnit.NANOSECONDS.sleep(left);
                        }
                    } catch (InterruptedException cancelled) {
                        return;
                    }
                    fired = true;
                    stop.run();
                },
                "segment-duration-limit");
        thread.setDaemon(true);
    }

    /**
     * Starts the countdown.
     *
     * @param startNanos {@link System#nanoTime()} when the run started
     * @param seconds    the run's length, &gt; 0
     * @param stop       what ends the run (called once, on the limit's own thread)
     */
    public static DurationLimit start(long startNanos, double seconds, Runnable stop) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("duration must be > 0 seconds, got " + seconds);
        }
        DurationLimit limit = new DurationLimit(startNanos + Math.round(seconds * 1e9), stop);
        limit.thread.start();
        return limit;
    }

    /** True once the deadline has passed and the stop action ran (or is running). */
    public boolean fired() {
        return fired;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive() && !fired) {
            thread.interrupt();
        }
        thread.join();
    }
}

package dev.segment.engine.crf;

import java.util.Arrays;

/**
 * Keeps a live source's CRF within the time between camera frames by choosing how many pixels it refines: the CPU
 * overuse rule of real-time video encoders (WebRTC lowers the resolution while encoding takes most of the frame
 * interval) applied to the CRF grid.
 *
 * <p>It starts at the floor and climbs while there is room, as a video call starts at a low resolution: the first
 * frames are the slowest (the CRF starts cold, the JIT has not compiled the stream's code yet), and every frame that
 * waits for them is dropped on a live source. Per window of about a second of frames, the median time of the CRF stage
 * is compared with the frame interval. Above {@link #HIGH} of it the pixel budget goes down in proportion, to the grid
 * that would take {@link #TARGET} of it (the CRF's cost is about linear in its pixels), never below the floor; below
 * {@link #LOW} of it, predicted for the next larger grid, for {@link #CALM_WINDOWS} windows in a row, it goes up one
 * step of {@link #STEP}, never above the limit. A climb undone within {@link #PROBATION_WINDOWS} windows doubles the
 * calm the next one needs (up to {@link #MAX_CALM_WINDOWS}), so a stream at the edge of two grids does not switch
 * every few seconds. The median, not the mean: a cold frame (a cut, a new grid) or a pause of the collector does not
 * move it.
 *
 * <p>Why the CRF and not the model: on a live source the model runs beside the stream on keyframes only, but the CRF
 * runs on every frame in order; when it takes longer than a camera frame, frames queue and the source drops them.
 * Measured on 2 cores (768x432 at 25 fps, the model beside it): the CRF took 40-46 ms a frame on a 384x216 grid, and
 * 17-22% of the camera's frames were dropped; on 256x144, 26-32 ms, and drops outside the start-up stopped.
 *
 * <p>The live streams of one process share its cores: each stream's CRF is paced against its share of its frame
 * interval, the interval divided by the number of paced streams open in the process (one {@code segment serve} with
 * four cameras at 5 fps gives each CRF 50 ms of every 200 ms, not all 200). {@link #close()} gives the share back.
 *
 * <p>Not thread-safe: fed by the CRF stage's thread.
 */
public final class CrfPace implements AutoCloseable {
    /** Paced streams open in this process. */
    private static final java.util.concurrent.atomic.AtomicInteger STREAMS =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Above this share of the frame interval the CRF is lowered. */
    static final double HIGH = 0.75;
    /** The share of the frame interval a lowered CRF aims at. */
    static final double TARGET = 0.6;
    /** The next larger grid must be predicted below this share of the frame interval to be taken. */
    static final double LOW = 0.6;
    /** Windows in a row with room for the next larger grid before it is taken. */
    static final int CALM_WINDOWS = 3;
    /** One step up multiplies the pixel budget by this. */
    static final double STEP = 1.4;
    /** A climb undone within this many windows failed: the next one waits twice as long. */
    static final int PROBATION_WINDOWS = 2;
    /** The longest wait for a climb, in windows, however many climbs failed before. */
    static final int MAX_CALM_WINDOWS = 48;

    private final int limit;
    private final int floor;
    private final long frameIntervalNanos;
    private final long[] window;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private int filled;
    private int calm;
    private int calmNeeded = CALM_WINDOWS;
    private int probation; // windows left in which undoing the last climb counts as a failed climb
    private int budget;
    private long lastMedian;

    /**
     * @param limit         the most pixels (the configuration's {@code maxPixels}), at least {@code floor}
     * @param floor         the fewest pixels the budget goes down to, at least 1
     * @param frameRate     the camera's frames per second
     */
    public CrfPace(int limit, int floor, double frameRate) {
        if (floor < 1 || limit < floor) {
            throw new IllegalArgumentException("need 1 <= floor <= limit, got floor " + floor + " and limit " + limit);
        }
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frameRate must be positive and finite, got " + frameRate);
        }
        this.limit = limit;
        this.floor = floor;
        this.frameIntervalNanos = Math.round(1e9 / frameRate);
        this.window = new long[Math.max(5, (int) Math.round(frameRate))];
        this.budget = floor;
        STREAMS.incrementAndGet();
    }

    /** Gives this stream's share of the process back to the other paced streams; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            STREAMS.decrementAndGet();
        }
    }

    /** The most pixels the CRF should refine on the next frame. */
    public int budget() {
        return budget;
    }

    /** The median CRF time of the last full window, in milliseconds, rounded. */
    public long lastMedianMillis() {
        return Math.round(lastMedian / 1e6);
    }

    /** This stream's share of the time between its camera frames: the interval over the paced streams open. */
    public long intervalNanos() {
        return frameIntervalNanos / Math.max(1, STREAMS.get());
    }

    /**
     * Records one frame's CRF time.
     *
     * @param nanos  the CRF stage's time on the frame
     * @param pixels the pixels it refined (the grid's, at most {@link #budget()}; fewer for a small frame)
     * @return whether {@link #budget()} changed
     */
    public boolean record(long nanos, int pixels) {
        window[filled++] = nanos;
        if (filled < window.length) {
            return false;
        }
        filled = 0;
        long[] sorted = window.clone();
        Arrays.sort(sorted);
        lastMedian = sorted[sorted.length / 2];
        double share = (double) lastMedian / intervalNanos();
        int before = budget;
        boolean onProbation = probation > 0;
        if (onProbation && share <= HIGH && --probation == 0) {
            calmNeeded = CALM_WINDOWS; // the last climb held: later ones need the usual calm again
        }
        if (share > HIGH) {
            calm = 0;
            if (onProbation) {
                // the grid just taken was too large after all: on a stream at this edge, climbing every few seconds
                // would cost a cold CRF frame each time, so the next attempt waits twice as long
                calmNeeded = Math.min(MAX_CALM_WINDOWS, calmNeeded * 2);
                probation = 0;
            }
            // cost ~ pixels: the grid that takes TARGET of the interval, from the pixels this window refined
            int next = (int) Math.min(pixels * (TARGET / share), budget - 1L);
            budget = Math.max(floor, next);
        } else if (budget < limit && pixels >= budget * 0.95 && share * STEP < LOW) {
            // room for the next larger grid (only while the grid is held down by the budget, not by the frame's size)
            if (++calm >= calmNeeded) {
                calm = 0;
                budget = (int) Math.min(limit, Math.round(budget * STEP));
                probation = PROBATION_WINDOWS;
            }
        } else {
            calm = 0;
        }
        return budget != before;
    }
}

package dev.segment.engine.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model for the live streams of a process, one run at a time on one thread, under one budget: the share of
 * the time the model may run (its duty cycle). After a run of {@code t}, the next run a stream merely asks for waits
 * {@code t * (1 - duty) / duty}; a run a stream cannot go on without (a start, a restart, a new size, a scene cut)
 * goes first and waits for nothing. When several streams ask, the one whose carried scores are doing worst (the
 * highest need, see {@link dev.segment.engine.keyframes.KeyframePolicy#need}) gets the model first.
 *
 * <p>The duty follows what the streams' other stages leave, the way {@link dev.segment.engine.crf.CrfPace} keeps the
 * CRF within the frame interval: a stream that drops frames reports it ({@link Client#window}) and the duty goes down
 * one {@link #STEP}; after {@link #CALM_WINDOWS} windows in a row without drops from any stream it goes up one step,
 * never above the configured {@code keyframes.liveDuty}. Each change is logged once.
 *
 * <p>Owned by the process ({@link #process()}), not by a pipeline, so that streams of one process share one model
 * thread and one budget. Thread-safe.
 */
public final class ModelScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ModelScheduler.class);

    /** One step of the duty, down or up (multiplicative). */
    static final double STEP = 0.8;
    /** The lowest duty: the model still runs about once every 20 of its run times. */
    static final double MIN_DUTY = 0.05;
    /** Windows without drops before the duty goes up a step. */
    static final int CALM_WINDOWS = 3;

    private static ModelScheduler process;

    private final Object lock = new Object();
    private final List<Client> clients = new ArrayList<>();
    private final String threadName;
    private Thread worker; // guarded by lock; runs while the scheduler has streams, started by the first
    private double duty = 1;
    private double cap = 1;
    private int calm;
    private boolean floorReported;
    private long loggedPercent = 100;
    private long notBefore;
    private Client running;

    /** The scheduler of this process, started on first use. */
    public static synchronized ModelScheduler process() {
        if (process == null) {
            process = new ModelScheduler("segment-model");
        }
        return process;
    }

    ModelScheduler(String threadName) {
        this.threadName = threadName;
    }

    /**
     * A stream's place at the scheduler.
     *
     * @param name     the stream, for the log
     * @param maxDuty  the stream's {@code keyframes.liveDuty}: the process's duty never goes above the lowest of its
     *                 streams'
     */
    Client register(String name, double maxDuty) {
        synchronized (lock) {
            Client c = new Client(name, maxDuty);
            clients.add(c);
            if (worker == null) {
                // The model thread lives while streams do: a process (or a test) whose streams ended keeps no thread.
                worker = new Thread(this::loop, threadName);
                worker.setDaemon(true);
                worker.start();
            }
            cap = clients.stream().mapToDouble(x -> x.maxDuty).min().orElse(1);
            // The first stream starts at its ceiling: the first seconds of a camera are when its carried scores are
            // youngest, and the drops of its cold start lower the duty within a second or two. Measured on 2 cores,
            // DAVIS clips as a camera at 24 fps (segment eval, source.realtime): starting at 0.5 against 0.2 the live
            // viewer saw car-roundabout 0.748-0.760 against 0.690-0.739, dance-twirl 0.267-0.274 against 0.201-0.203,
            // with as many frames out; 30 s RTSP runs kept 91-94% of the frames either way.
            if (clients.size() == 1) {
                duty = cap;
            }
            duty = Math.min(duty, cap);
            loggedPercent = Math.round(duty * 100);
            return c;
        }
    }

    /** The share of the time the model may run now. */
    public double duty() {
        synchronized (lock) {
            return duty;
        }
    }

    private void loop() {
        while (true) {
            Client next;
            try {
                next = take();
            } catch (InterruptedException e) {
                synchronized (lock) {
                    worker = null;
                }
                return;
            }
            if (next == null) {
                return; // no stream left; take() let go of the thread
            }
            long t0 = System.nanoTime();
            try {
                next.job.call();
                next.result.complete(null);
            } catch (Throwable t) {
                next.result.completeExceptionally(t);
            }
            long took = System.nanoTime() - t0;
            synchronized (lock) {
                running = null;
                // An urgent run waits for nothing, but is paid for like any other: its pause adds to one still
                // owed (an urgent run inside another run's pause must not shorten it).
                notBefore = Math.max(notBefore, System.nanoTime()) + (long) (took * (1 - duty) / duty);
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits for the next run that is due: an urgent one at once, else the neediest once the budget allows; null once
     * no stream is left (the thread then ends, and the next stream starts another).
     */
    private Client take() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (clients.isEmpty()) {
                    worker = null;
                    return null;
                }
                Client best = null;
                for (Client c : clients) {
                    if (c.job == null || c.result.isDone() || c.started) {
                        continue;
                    }
                    if (best == null || c.urgent && !best.urgent || c.urgent == best.urgent && c.need > best.need) {
                        best = c;
                    }
                }
                long wait = best == null ? 0 : best.urgent ? 0 : notBefore - System.nanoTime();
                if (best != null && wait <= 0) {
                    best.started = true;
                    running = best;
                    return best;
                }
                if (best == null) {
                    lock.wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait);
                }
            }
        }
    }

    /** Stops the model thread (a scheduler made for a test; the process's lives as long as the process). */
    void shutdown() throws InterruptedException {
        Thread t;
        synchronized (lock) {
            t = worker;
        }
        if (t != null) {
            t.interrupt();
            t.join();
        }
    }

    /** A stream's dropped frames over a window of about a second: the duty goes down on drops, up after calm. */
    private void window(Client from, long dropped) {
        synchronized (lock) {
            double before = duty;
            if (dropped > 0) {
                calm = 0;
                duty = Math.max(MIN_DUTY, duty * STEP);
                if (duty == before && !floorReported) {
                    floorReported = true;
                    LOG.warn(
                            "{}: frames are dropped with the model at its lowest share ({}% of the time): the stream's"
                                    + " own stages cannot keep up; lower crf.minPixels or keyframes.flowWidth, or set"
                                    + " output.preset ultrafast",
                            from.name, Math.round(MIN_DUTY * 100));
                }
            } else if (++calm >= CALM_WINDOWS) {
                calm = 0;
                duty = Math.min(cap, duty / STEP);
            }
            long percent = Math.round(duty * 100);
            if (percent != loggedPercent) {
                loggedPercent = percent;
                LOG.info(
                        "model share {}% of the time ({} after {})",
                        percent,
                        duty < before ? "lowered" : "raised",
                        dropped > 0 ? from.name + " dropped " + dropped + " frames" : "a calm stretch");
            }
        }
    }

    /** Removes a stream; its run still under way finishes. */
    private void unregister(Client c) {
        synchronized (lock) {
            clients.remove(c);
            cap = clients.stream().mapToDouble(x -> x.maxDuty).min().orElse(1);
            lock.notifyAll();
        }
    }

    /** One stream's handle: at most one run asked for or under way at a time. Used by the stream's keyframe stage. */
    final class Client implements AutoCloseable {
        private final String name;
        private final double maxDuty;
        // Guarded by the scheduler's lock.
        private Callable<?> job;
        private CompletableFuture<Void> result = CompletableFuture.completedFuture(null);
        private boolean urgent;
        private boolean started;
        private double need;

        private Client(String name, double maxDuty) {
            this.name = name;
            this.maxDuty = maxDuty;
        }

        /** Whether a run asked for now would start at once: nothing of this stream's under way, and within budget. */
        boolean ready() {
            synchronized (lock) {
                return result.isDone() && running == null && System.nanoTime() >= notBefore;
            }
        }

        /**
         * Puts a newer frame in place of this stream's run that is asked for and not started (waiting for the budget,
         * or for a needier stream): {@code load} runs under the scheduler's lock, so the model thread cannot take the
         * run while it is replaced. False, and nothing done, when no run of this stream is waiting.
         */
        boolean refresh(double needOfFrame, Runnable load) {
            synchronized (lock) {
                if (result.isDone() || started || urgent) {
                    return false;
                }
                load.run();
                need = needOfFrame;
                lock.notifyAll();
                return true;
            }
        }

        /** Takes back this stream's run that is asked for and not started; false when none is waiting. */
        boolean withdraw() {
            synchronized (lock) {
                if (result.isDone() || started) {
                    return false;
                }
                job = null;
                result.cancel(false);
                lock.notifyAll();
                return true;
            }
        }

        /** Whether nothing of this stream's is asked for or under way. */
        boolean idle() {
            synchronized (lock) {
                return result.isDone();
            }
        }

        /**
         * Asks for a run; {@code urgent} runs go first and do not wait for the budget.
         *
         * @throws IllegalStateException if one is already asked for or under way
         */
        Future<Void> submit(Callable<?> run, double needOfFrame, boolean urgentRun) {
            synchronized (lock) {
                if (!result.isDone()) {
                    throw new IllegalStateException(name + ": a model run is already under way");
                }
                job = run;
                need = needOfFrame;
                urgent = urgentRun;
                started = false;
                result = new CompletableFuture<>();
                lock.notifyAll();
                return result;
            }
        }

        /** The frames this stream dropped over the last window (about a second). */
        void window(long dropped) {
            ModelScheduler.this.window(this, dropped);
        }

        /** Leaves the scheduler: a run asked for and not started is cancelled; one under way finishes. */
        @Override
        public void close() {
            synchronized (lock) {
                if (!started) {
                    result.cancel(false);
                }
            }
            unregister(this);
        }

        /** Waits up to {@code timeoutMillis} for this stream's run under way; whether none is left. */
        boolean awaitIdle(long timeoutMillis) {
            try {
                result.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // cancelled or failed: nothing runs
            }
            return true;
        }
    }
}

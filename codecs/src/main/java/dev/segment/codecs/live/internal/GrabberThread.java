package dev.segment.codecs.live.internal;

import dev.segment.codecs.live.Redact;
import dev.segment.codecs.live.SourceTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Runs one {@link FFmpegFrameGrabber} on its own daemon thread so that the caller never waits longer than a timeout.
 *
 * <p>JavaCV's grabber has no interrupt callback and its {@code release()} is synchronized with {@code grab()}, so a
 * blocked native read cannot be cancelled from outside. FFmpeg's own socket timeouts (set by the source) end such a
 * read eventually; this class makes sure the caller does not depend on it: the caller hands a request over, waits at
 * most its timeout, and on expiry (or {@link #close()}) abandons the worker, which releases the grabber as soon as the
 * native call returns and then ends. The worker is parked between requests, so the caller may read the returned
 * {@link Frame} (which the grabber reuses) until its next request.
 */
public final class GrabberThread implements AutoCloseable {
    private enum Op { NONE, START, GRAB }

    private final FFmpegFrameGrabber grabber;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private Op op = Op.NONE;
    private boolean done;
    private boolean abandoned;
    private Frame result;
    private Throwable error;

    public GrabberThread(FFmpegFrameGrabber grabber, String name, String threadName) {
        if (grabber == null) {
            throw new IllegalArgumentException("grabber must not be null");
        }
        this.grabber = grabber;
        this.name = name;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code grabber.start()}: connects and reads the stream header. */
    public void start(long timeoutMillis) throws IOException {
        call(Op.START, timeoutMillis, "open");
    }

    /** Runs {@code grabber.grabImage()}: the next picture, or null at the end of the stream. */
    public Frame grab(long timeoutMillis) throws IOException {
        return call(Op.GRAB, timeoutMillis, "read");
    }

    /** True while the worker thread runs (it ends after {@link #close()} once any native call has returned). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits up to {@code millis} for the worker to end; true if it has. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    private Frame call(Op request, long timeoutMillis, String what) throws IOException {
        lock.lock();
        try {
            if (abandoned) {
                throw new IOException(name + ": source is closed");
            }
            op = request;
            done = false;
            changed.signalAll();
            long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!done && !abandoned) {
                if (remaining <= 0) {
                    abandonLocked();
                    throw new SourceTimeoutException(name + ": no " + (request == Op.START ? "stream header" : "frame")
                            + " within " + timeoutMillis + " ms (" + what + " timeout)");
                }
                try {
                    remaining = changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    abandonLocked();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(name + ": interrupted during " + what);
                }
            }
            if (!done) {
                throw new IOException(name + ": source closed during " + what);
            }
            done = false;
            Throwable e = error;
            Frame f = result;
            error = null;
            result = null;
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                // JavaCV's messages quote the URL, credentials included: keep only a redacted copy, no cause.
                IOException x = new IOException(name + ": " + what + " failed: "
                        + Redact.redact(String.valueOf(e.getMessage())));
                x.setStackTrace(e.getStackTrace());
                throw x;
            }
            return f;
        } finally {
            lock.unlock();
        }
    }

    private void abandonLocked() {
        abandoned = true;
        changed.signalAll();
    }

    /** Abandons the worker: a pending call fails at once; the grabber is released by the worker. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            abandonLocked();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Op task;
                lock.lock();
                try {
                    while (op == Op.NONE && !abandoned) {
                        changed.await();
                    }
                    if (abandoned) {
                        return;
                    }
                    task = op;
                } finally {
                    lock.unlock();
                }
                Frame r = null;
                Throwable e = null;
                try {
                    if (task == Op.START) {
                        grabber.start();
                    } else {
                        r = grabber.grabImage();
                    }
                } catch (Throwable t) {
                    e = t;
                }
                lock.lock();
                try {
                    op = Op.NONE;
                    result = r;
                    error = e;
                    done = true;
                    changed.signalAll();
                    if (abandoned) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                grabber.release();
            } catch (Exception | LinkageError ignored) {
                // Nothing to do: the stream is being discarded.
            }
        }
    }
}

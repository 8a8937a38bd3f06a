package dev.segment.codecs.live;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.Redact;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FrameSource} that survives its camera: when the inner source fails, times out or ends, it is closed and a
 * new one is made by the {@link SourceFactory} after an exponential backoff with jitter ({@link ReconnectPolicy}).
 * The first connection follows the same policy (a camera that is not up yet is waited for).
 *
 * <p>What the caller sees across reconnects:
 * <ul>
 *   <li>{@link VideoFrame#epoch()} grows by one on each reconnect and on each change of frame size, so that
 *       temporal state (the CRF warm start) is reset; the new size is in the frame itself.</li>
 *   <li>Presentation times are strictly increasing: wall-clock microseconds since {@link #open()} for live
 *       streams; for non-live inner sources their own times, shifted so that they never go back.</li>
 *   <li>The first failure to connect is a warning at once; each attempt is one INFO line (redacted) with its number
 *       and delay, and is counted ({@link #attempts()}, {@link #reconnects()}), and reported to
 *       the {@link SourceListener}.</li>
 * </ul>
 * {@link #close()} from another thread ends a pending read or backoff wait at once.
 */
public final class ReconnectingSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSource.class);

    private final SourceFactory factory;
    private final String description;
    private final ReconnectPolicy policy;
    private final SourceListener listener;
    private final RandomGenerator random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile FrameSource current;
    private volatile boolean closed;
    private volatile VideoInfo info;
    private boolean everConnected;
    private volatile IOException gaveUp;
    private int epoch;
    private boolean epochBumpedSinceFrame;
    private int lastWidth;
    private int lastHeight;
    private MonotonicClock clock;
    private long lastPts = -1;
    private long ptsOffset;
    private boolean rebase;

    public ReconnectingSource(
            SourceFactory factory, String description, ReconnectPolicy policy, SourceListener listener) {
        this(factory, description, policy, listener, new Random());
    }

    /** As above with a given random generator for the jitter (tests make it deterministic). */
    public ReconnectingSource(
            SourceFactory factory,
            String description,
            ReconnectPolicy policy,
            SourceListener listener,
            RandomGenerator random) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.description = Redact.redact(Objects.requireNonNull(description, "description"));
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = listener == null ? SourceListener.NONE : listener;
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public VideoInfo open() throws IOException {
        if (clock != null) {
            throw new IllegalStateException(description + ": open() called twice");
        }
        clock = new MonotonicClock(System.nanoTime());
        connect(false);
        return info;
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        if (clock == null) {
            throw new IllegalStateException(description + ": read() before open()");
        }
        while (true) {
            if (closed && gaveUp == null) {
                return false;
            }
            ensureOpen();
            FrameSource src = current;
            if (src == null) {
                try {
                    connect(true);
                } catch (IOException e) {
                    if (closed && gaveUp == null) {
                        return false;
                    }
                    throw e;
                }
                continue;
            }
            String cause;
            IOException failure;
            try {
                if (src.read(frame)) {
                    frame.setCaptureNanos(System.nanoTime());
                    stamp(frame);
                    return true;
                }
                cause = "end of stream";
                failure = null;
            } catch (IOException e) {
                if (closed) {
                    dropCurrent();
                    return false;
                }
                cause = Redact.redact(e.getMessage());
                failure = e;
            }
            if (closed) {
                // close() from another thread ended the read: not a lost stream.
                dropCurrent();
                return false;
            }
            dropCurrent();
            LOG.warn("{}: stream lost ({})", description, cause);
            listener.disconnected(cause);
            if (policy.maxAttempts() == 0) {
                if (failure != null) {
                    throw failure;
                }
                return false;
            }
        }
    }

    private void stamp(VideoFrame frame) {
        if (frame.width() != lastWidth || frame.height() != lastHeight) {
            if (lastWidth != 0) {
                listener.frameSizeChanged(lastWidth, lastHeight, frame.width(), frame.height());
                LOG.info(
                        "{}: frame size {}x{} -> {}x{}",
                        description,
                        lastWidth,
                        lastHeight,
                        frame.width(),
                        frame.height());
                if (!epochBumpedSinceFrame) {
                    epoch++;
                }
            }
            lastWidth = frame.width();
            lastHeight = frame.height();
        }
        epochBumpedSinceFrame = false;
        frame.setEpoch(epoch);
        long pts;
        if (info.live()) {
            pts = clock.micros(frame.captureNanos());
        } else {
            if (rebase) {
                ptsOffset = lastPts + 1 - frame.ptsMicros();
                rebase = false;
            }
            pts = clock.atLeast(frame.ptsMicros() + ptsOffset);
        }
        frame.setPtsMicros(pts);
        lastPts = pts;
    }

    /**
     * Makes and opens a new inner source. The first connection tries at once; a reconnection (and every retry)
     * first waits the policy's delay. Retry number n is the n-th consecutive failure (the lost stream counts as one).
     */
    private void connect(boolean reconnecting) throws IOException {
        int failed = reconnecting ? 1 : 0;
        while (true) {
            ensureOpen();
            if (failed > 0) {
                if (!policy.allows(failed)) {
                    gaveUp = new IOException(description + ": giving up after " + (failed - (reconnecting ? 1 : 0))
                            + " failed reconnection attempt(s)");
                    throw gaveUp;
                }
                long delay = policy.delayMillis(failed, random);
                listener.reconnectAttempt(failed, delay);
                // Every attempt is an event a person watching the run should see: one line, numbered, with the wait.
                LOG.info(
                        "{}: {} attempt {} in {} ms",
                        description,
                        everConnected ? "reconnection" : "connection",
                        everConnected ? failed : failed + 1,
                        delay);
                sleep(delay);
                ensureOpen();
            }
            attempts.incrementAndGet();
            FrameSource src = null;
            try {
                src = factory.create();
                current = src;
                ensureOpen();
                VideoInfo opened = src.open();
                info = new VideoInfo(
                        opened.width(),
                        opened.height(),
                        opened.frameRate(),
                        opened.frameCount(),
                        opened.audioChannels(),
                        opened.sampleRate(),
                        opened.live(),
                        description);
                if (everConnected) {
                    epoch++;
                    epochBumpedSinceFrame = true;
                    reconnects.incrementAndGet();
                    rebase = true;
                }
                everConnected = true;
                LOG.info(
                        "{}: connected, {}x{} @ {} fps, epoch {}",
                        description,
                        info.width(),
                        info.height(),
                        info.frameRate(),
                        epoch);
                listener.connected(info, epoch);
                return;
            } catch (IOException | RuntimeException e) {
                closeQuietly(src);
                current = null;
                ensureOpen();
                String cause = Redact.redact(e.getMessage());
                if (everConnected) {
                    LOG.warn("{}: connection failed ({})", description, withoutSource(description, cause));
                } else if (attempts.get() == 1 && policy.maxAttempts() != 0) {
                    // Said at the first failure, within the open timeout, not when the retries run out: a camera
                    // that cannot be reached must not look like a run that is starting slowly.
                    String retrying =
                            policy.maxAttempts() < 0 ? "until it answers" : "up to " + policy.maxAttempts() + " times";
                    LOG.warn(
                            "{}: cannot connect ({}); retrying {}",
                            description,
                            withoutSource(description, cause),
                            retrying);
                } else {
                    LOG.debug("{}: connection failed ({})", description, cause);
                }
                listener.disconnected(cause);
                if (policy.maxAttempts() == 0) {
                    gaveUp = e instanceof IOException io ? io : new IOException(description + ": " + cause, e);
                    throw gaveUp;
                }
                failed++;
            }
        }
    }

    private void sleep(long millis) throws IOException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (remaining > 0 && !closed) {
                remaining = wake.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(description + ": interrupted while waiting to reconnect");
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() throws IOException {
        IOException failed = gaveUp;
        if (failed != null) {
            throw new IOException(description + ": source failed: " + failed.getMessage());
        }
        if (closed) {
            throw new IOException(description + ": source is closed");
        }
    }

    private void dropCurrent() {
        FrameSource src = current;
        current = null;
        closeQuietly(src);
    }

    private static void closeQuietly(FrameSource src) {
        if (src != null) {
            try {
                src.close();
            } catch (IOException | RuntimeException ignored) {
                // Already failed; the next connection matters.
            }
        }
    }

    /** A source's error message without the source's own name in front, for a line that names it already. */
    public static String withoutSource(String description, String message) {
        return message != null && message.startsWith(description + ": ")
                ? message.substring(description.length() + 2)
                : message;
    }

    /** Connection attempts made so far (first connection included). */
    public long attempts() {
        return attempts.get();
    }

    /** Successful reconnections (the first connection is not one). */
    public long reconnects() {
        return reconnects.get();
    }

    /** What the current (last) connection reported; null before the first one. */
    public VideoInfo info() {
        return info;
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        dropCurrent();
    }

    @Override
    public String toString() {
        return "ReconnectingSource[" + description + "]";
    }
}

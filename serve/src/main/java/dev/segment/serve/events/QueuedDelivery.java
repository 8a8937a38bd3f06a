package dev.segment.serve.events;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plumbing every event sink shares: a bounded queue that never blocks the caller, one worker thread that hands the
 * items to a {@link Target} in order, and retries with exponential backoff while the target is down. An item leaves the
 * queue only once the target took it. When the queue is full the oldest waiting item is dropped and counted; one
 * WARN says that dropping started, and one line gives the count once it stopped (the queue back at half its capacity).
 *
 * <p>Besides the queue, {@link #offerLatest(String, Object)} keeps one item per key, the newest (a camera's state:
 * only the last one matters); those items go before the queue's, are never dropped and do not count in
 * {@link #queued()}. {@link #signal(String, Object)} is for items that only make the worker act (connect to a broker
 * while nothing is waiting): they go first, and {@link #close()} does not wait for them.
 *
 * <p>{@link #close()} waits up to the grace period for the queue to drain, then stops the worker and logs how many
 * items were left undelivered.
 *
 * @param <T> what is delivered (an event's JSON, an MQTT message)
 */
public final class QueuedDelivery<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedDelivery.class);

    /**
     * The queue's size, the retry backoff and the close grace.
     *
     * @param capacity     how many items may wait; when full, the oldest is dropped
     * @param firstBackoff the wait after the first failed attempt, doubled after each further failure
     * @param maxBackoff   the longest wait between attempts
     * @param closeGrace   how long {@link #close()} waits for the queue to drain
     */
    public record Settings(int capacity, Duration firstBackoff, Duration maxBackoff, Duration closeGrace) {
        /** 1000 items, 0.5 s doubling to 30 s, 5 s to drain on close. */
        public static final Settings DEFAULTS =
                new Settings(1000, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));

        public Settings {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
            }
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(closeGrace, "closeGrace");
            if (firstBackoff.isNegative() || firstBackoff.isZero()) {
                throw new IllegalArgumentException("first backoff must be positive, got " + firstBackoff);
            }
            if (maxBackoff.compareTo(firstBackoff) < 0) {
                throw new IllegalArgumentException(
                        "max backoff " + maxBackoff + " is shorter than the first backoff " + firstBackoff);
            }
            if (closeGrace.isNegative()) {
                throw new IllegalArgumentException("close grace must not be negative, got " + closeGrace);
            }
        }

        public Settings withCapacity(int c) {
            return new Settings(c, firstBackoff, maxBackoff, closeGrace);
        }

        public Settings withBackoff(Duration first, Duration max) {
            return new Settings(capacity, first, max, closeGrace);
        }

        public Settings withCloseGrace(Duration grace) {
            return new Settings(capacity, firstBackoff, maxBackoff, grace);
        }
    }

    /** Where the items go. Called on the worker thread only, one item at a time. */
    @FunctionalInterface
    public interface Target<T> {
        /**
         * Delivers one item, returning once the target has it (a broker's acknowledgement, a 2xx answer).
         *
         * @throws RejectedException the target will never take this item (an HTTP 400): it is logged and skipped
         * @throws Exception         the target is unreachable or failed for now (checked exceptions, such as an
         *                           IOException): the same item is tried again after a backoff. A RuntimeException is a
         *                           bug: it is logged with its stack trace and the item skipped.
         */
        void deliver(T item) throws Exception;
    }

    /** Thrown by a {@link Target} for an item it will never take: skipped, not retried. */
    public static final class RejectedException extends Exception {
        public RejectedException(String message) {
            super(message);
        }

        public RejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String name;
    private final Settings settings;
    private final Target<T> target;
    private final Thread worker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when an item arrives or the worker must stop. */
    private final Condition work = lock.newCondition();
    /** Signalled when the worker finished an item. */
    private final Condition progress = lock.newCondition();

    // Guarded by lock.
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final Map<String, T> signals = new LinkedHashMap<>();
    private final Map<String, T> latest = new LinkedHashMap<>();
    private T inFlight;
    private Kind inFlightKind;
    private boolean closing;
    private boolean stopped;
    private boolean dropping;
    private long droppedNow;
    private long dropped;
    private long delivered;
    private long rejected;

    /**
     * Starts the worker thread ({@code events-NAME}, a daemon).
     *
     * @param name a name for logs: the sink and its target, without credentials ({@code mqtt tcp://host:1883})
     */
    public QueuedDelivery(String name, Settings settings, Target<T> target) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
        this.worker = new Thread(this::work, "events-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues an item; never blocks. When the queue is full the oldest waiting item is dropped. */
    public void offer(T item) {
        Objects.requireNonNull(item, "item");
        boolean startedDropping = false;
        lock.lock();
        try {
            checkOpen();
            if (queue.size() >= settings.capacity()) {
                queue.pollFirst();
                dropped++;
                droppedNow++;
                if (!dropping) {
                    dropping = true;
                    startedDropping = true;
                }
            }
            queue.addLast(item);
            work.signal();
        } finally {
            lock.unlock();
        }
        if (startedDropping) {
            LOG.warn(
                    "{}: the queue is full ({} events waiting): dropping the oldest until deliveries catch up",
                    name,
                    settings.capacity());
        }
    }

    /**
     * Keeps {@code item} as the one to deliver for {@code key}, replacing an older one not yet delivered. These items go
     * before the queue's, and are never dropped.
     */
    public void offerLatest(String key, T item) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            checkOpen();
            latest.put(key, item);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #offerLatest(String, Object)}, but only when nothing is waiting for {@code key}; quietly does nothing
     * once closing.
     */
    public void offerLatestIfAbsent(String key, T item) {
        lock.lock();
        try {
            if (!closing) {
                latest.putIfAbsent(key, item);
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps {@code item} for {@code key} unless one is already waiting: delivered before anything else, retried like
     * any item, not waited for by {@link #close()}. Quietly does nothing once closing. For items that make the target
     * act rather than carry data, such as a reconnect.
     */
    public void signal(String key, T item) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (!closing) {
                signals.putIfAbsent(key, item);
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Items of the queue waiting for delivery, the one being delivered included. */
    public int queued() {
        lock.lock();
        try {
            return queue.size() + inFlight(Kind.QUEUED);
        } finally {
            lock.unlock();
        }
    }

    /** Items dropped because the queue was full, since the start. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Items the target took, of every kind. */
    public long delivered() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /** Items the target refused ({@link RejectedException}) or failed on with a bug, skipped. */
    public long rejected() {
        lock.lock();
        try {
            return rejected;
        } finally {
            lock.unlock();
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Waits up to the grace period for every item to be delivered, then stops the worker (interrupting a delivery in
     * progress) and logs what was left. Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int left;
        int statesLeft;
        long droppedAtEnd;
        lock.lock();
        try {
            closing = true;
            long remaining = settings.closeGrace().toNanos();
            try {
                while (undelivered() > 0 && remaining > 0) {
                    remaining = progress.awaitNanos(remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop at once
            }
            left = queue.size() + inFlight(Kind.QUEUED);
            statesLeft = latest.size() + inFlight(Kind.LATEST);
            droppedAtEnd = dropping ? droppedNow : 0;
            stopped = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("{}: the delivery thread did not stop within 5 s of close", name);
        }
        if (droppedAtEnd > 0) {
            LOG.warn("{}: {} events were dropped because the queue was full", name, droppedAtEnd);
        }
        if (left > 0 || statesLeft > 0) {
            LOG.warn(
                    "{}: closed with {} events{} undelivered after waiting {} ms",
                    name,
                    left,
                    statesLeft > 0 ? " and " + statesLeft + " other messages" : "",
                    settings.closeGrace().toMillis());
        } else {
            LOG.debug("{}: closed, everything delivered", name);
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException(name + " is closed: it takes no more events");
        }
    }

    private void work() {
        long backoff = settings.firstBackoff().toNanos();
        int failures = 0;
        while (true) {
            T item;
            lock.lock();
            try {
                while (!stopped && inFlight == null && signals.isEmpty() && latest.isEmpty() && queue.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                if (inFlight == null) {
                    if (!signals.isEmpty()) {
                        take(signals, Kind.SIGNAL);
                    } else if (!latest.isEmpty()) {
                        take(latest, Kind.LATEST);
                    } else {
                        inFlight = queue.pollFirst();
                        inFlightKind = Kind.QUEUED;
                    }
                }
                item = inFlight;
            } finally {
                lock.unlock();
            }
            try {
                target.deliver(item);
                finished(true);
                if (failures > 0) {
                    LOG.info(
                            "{}: delivering again after {} failed attempt{}", name, failures, failures == 1 ? "" : "s");
                }
                failures = 0;
                backoff = settings.firstBackoff().toNanos();
            } catch (RejectedException e) {
                LOG.warn("{}: refused, skipped: {}", name, e.getMessage());
                finished(false);
            } catch (RuntimeException e) {
                LOG.error("{}: delivery failed with a bug, skipped", name, e);
                finished(false);
            } catch (Exception e) {
                if (isStopped()) {
                    return;
                }
                failures++;
                if (failures == 1) {
                    LOG.warn(
                            "{}: delivery failed, retrying with backoff ({} s doubling to {} s): {}",
                            name,
                            seconds(settings.firstBackoff()),
                            seconds(settings.maxBackoff()),
                            describe(e));
                } else {
                    LOG.debug("{}: attempt {} failed: {}", name, failures, describe(e));
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
            }
        }
    }

    /** Where the item in flight came from. */
    private enum Kind {
        SIGNAL,
        LATEST,
        QUEUED
    }

    /** Under the lock: the first item of {@code items} becomes the one in flight. */
    private void take(Map<String, T> items, Kind kind) {
        Iterator<T> first = items.values().iterator();
        inFlight = first.next();
        first.remove();
        inFlightKind = kind;
    }

    /** Under the lock: 1 when the item in flight is of this kind. */
    private int inFlight(Kind kind) {
        return inFlight != null && inFlightKind == kind ? 1 : 0;
    }

    /** Under the lock: what close() waits for (signals are not). */
    private int undelivered() {
        return queue.size() + latest.size() + inFlight(Kind.QUEUED) + inFlight(Kind.LATEST);
    }

    /** The item in flight is done with: delivered, or skipped. */
    private void finished(boolean ok) {
        long stoppedDropping = 0;
        lock.lock();
        try {
            inFlight = null;
            if (ok) {
                delivered++;
            } else {
                rejected++;
            }
            if (dropping && queue.size() <= settings.capacity() / 2) {
                dropping = false;
                stoppedDropping = droppedNow;
                droppedNow = 0;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        if (stoppedDropping > 0) {
            LOG.warn("{}: delivering again; {} events were dropped while the queue was full", name, stoppedDropping);
        }
    }

    /** Waits out a backoff; false when the worker must stop. */
    private boolean pause(long nanos) {
        lock.lock();
        try {
            long remaining = nanos;
            while (!stopped && remaining > 0) {
                remaining = work.awaitNanos(remaining);
            }
            return !stopped;
        } catch (InterruptedException e) {
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** 0.5, 30, 0.01. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (s.length() > 0) {
                s.append(": ");
            }
            s.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            if (s.length() > 300) {
                break;
            }
        }
        return s.toString();
    }
}

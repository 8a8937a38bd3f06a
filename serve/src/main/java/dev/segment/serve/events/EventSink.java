package dev.segment.serve.events;

/**
 * Where events go: an MQTT broker, a webhook, a JSON-lines file. Calls never block the caller (a camera's output
 * stage): a sink queues what it cannot deliver at once, in a bounded queue, retries while its target is down, and
 * counts (and logs) what it had to drop when the queue was full. {@link #close()} delivers what it can within a short
 * grace period, then stops.
 */
public interface EventSink extends AutoCloseable {
    /** A short name for logs and metrics: {@code mqtt}, {@code webhook}, {@code file}. */
    String name();

    /** Queues one event for delivery. */
    void event(Event event);

    /**
     * The state of one camera, as JSON: MQTT keeps the last one per camera (retained, on
     * {@code segment/<camera>/state}); other sinks ignore it. A newer state replaces an undelivered older one.
     */
    default void state(String camera, String json) {}

    /** Events dropped because the queue was full, since the start. */
    long dropped();

    /** Events waiting for delivery. */
    int queued();

    @Override
    void close();
}

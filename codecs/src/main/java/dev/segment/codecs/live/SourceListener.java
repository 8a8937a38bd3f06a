package dev.segment.codecs.live;

import dev.segment.codecs.VideoInfo;

/**
 * What a {@link ReconnectingSource} tells about its connection: for logs and metrics (the engine's metrics adapt this
 * interface to counters). Called on the source's reading thread; implementations return quickly and never throw.
 */
public interface SourceListener {
    SourceListener NONE = new SourceListener() {};

    /** The source is open (first time or after a reconnect); {@code epoch} is the generation frames will carry. */
    default void connected(VideoInfo info, int epoch) {}

    /** The stream failed or ended; a reconnect follows if the policy allows. The message is redacted. */
    default void disconnected(String cause) {}

    /** Attempt number {@code attempt} (1-based, consecutive) starts after waiting {@code delayMillis}. */
    default void reconnectAttempt(int attempt, long delayMillis) {}

    /** A frame arrived with a size different from the previous one (usually after a reconnect). */
    default void frameSizeChanged(int oldWidth, int oldHeight, int newWidth, int newHeight) {}
}

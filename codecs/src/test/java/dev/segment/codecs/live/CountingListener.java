package dev.segment.codecs.live;

import dev.segment.codecs.VideoInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a {@link ReconnectingSource} reports. */
final class CountingListener implements SourceListener {
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger sizeChanges = new AtomicInteger();
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void connected(VideoInfo info, int epoch) {
        connects.incrementAndGet();
        messages.add("connected " + info.description() + " epoch " + epoch);
    }

    @Override
    public void disconnected(String cause) {
        disconnects.incrementAndGet();
        messages.add("disconnected " + cause);
    }

    @Override
    public void reconnectAttempt(int attempt, long delayMillis) {
        attempts.incrementAndGet();
        messages.add("attempt " + attempt + " after " + delayMillis);
    }

    @Override
    public void frameSizeChanged(int oldWidth, int oldHeight, int newWidth, int newHeight) {
        sizeChanges.incrementAndGet();
    }

    @Override
    public String toString() {
        return "connects=" + connects + " disconnects=" + disconnects + " attempts=" + attempts + " sizeChanges="
                + sizeChanges + " " + messages;
    }
}

package dev.segment.serve.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.CapturedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueuedDeliveryTest {
    private static final QueuedDelivery.Settings FAST = QueuedDelivery.Settings.DEFAULTS
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(80))
            .withCloseGrace(Duration.ofSeconds(5));
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A target that records what it took and can be held (blocks) or made to fail. */
    private static final class Recorder implements QueuedDelivery.Target<String> {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        volatile boolean hold;
        volatile int failuresLeft;
        volatile boolean down;

        @Override
        public void deliver(String item) throws Exception {
            attempts.add(item);
            if (hold) {
                holding.countDown();
                release.await();
            }
            if (down) {
                throw new IOException("target down");
            }
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IOException("connection refused");
            }
            if (item.startsWith("bad")) {
                throw new QueuedDelivery.RejectedException("HTTP 400: " + item);
            }
            if (item.startsWith("bug")) {
                throw new IllegalStateException("a bug on " + item);
            }
            delivered.add(item);
        }
    }

    @Test
    void shouldDeliverInTheOrderOffered() {
        Recorder r = new Recorder();
        try (QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST, r)) {
            for (int i = 0; i < 50; i++) {
                q.offer("e" + i);
            }
            await().atMost(WAIT).until(() -> r.delivered.size() == 50);
            assertEquals(range("e", 0, 50), r.delivered);
            assertEquals(0, q.queued());
            assertEquals(50, q.delivered());
        }
    }

    @Test
    void shouldRetryAFailedItemBeforeTheNextOneAndLogOnceWhenItFailsAndOnceWhenItRecovers() {
        Recorder r = new Recorder();
        r.failuresLeft = 3;
        try (CapturedLog log = CapturedLog.of(QueuedDelivery.class);
                QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST, r)) {
            q.offer("a");
            q.offer("b");
            await().atMost(WAIT).until(() -> r.delivered.size() == 2);

            assertEquals(List.of("a", "b"), r.delivered);
            assertEquals(List.of("a", "a", "a", "a", "b"), r.attempts);
            assertEquals(
                    1,
                    log.records().stream()
                            .filter(x -> x.getLevel() == Level.WARNING)
                            .count(),
                    log.messages().toString());
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.contains("delivering again after 3 failed attempts")),
                    log.messages().toString());
        }
    }

    @Test
    void shouldSkipAnItemTheTargetRefusesOrFailsOnWithABug() {
        Recorder r = new Recorder();
        try (CapturedLog log = CapturedLog.of(QueuedDelivery.class);
                QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST, r)) {
            q.offer("a");
            q.offer("bad-1");
            q.offer("bug-1");
            q.offer("b");
            await().atMost(WAIT).until(() -> r.delivered.size() == 2);

            assertEquals(List.of("a", "b"), r.delivered);
            assertEquals(List.of("a", "bad-1", "bug-1", "b"), r.attempts, "refused items are tried once");
            assertEquals(2, q.rejected());
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.contains("refused, skipped: HTTP 400: bad-1")),
                    log.messages().toString());
        }
    }

    @Test
    void shouldDropTheOldestWaitingItemsWhenFullWithoutBlockingAndSaySo() throws Exception {
        Recorder r = new Recorder();
        r.hold = true;
        try (CapturedLog log = CapturedLog.of(QueuedDelivery.class);
                QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST.withCapacity(3), r)) {
            q.offer("e0");
            r.holding.await(); // e0 is in flight: the target does not return
            for (int i = 1; i <= 10; i++) {
                q.offer("e" + i); // returns at once although the target hangs (else @Timeout fails the test)
            }

            assertEquals(7, q.dropped(), "e1..e7 dropped");
            assertEquals(4, q.queued(), "e0 in flight, e8..e10 waiting");
            List<String> warnings = log.records().stream()
                    .filter(x -> x.getLevel() == Level.WARNING)
                    .map(x -> x.getMessage())
                    .toList();
            assertEquals(1, warnings.size(), "one warning when dropping starts: " + warnings);
            assertTrue(warnings.get(0).contains("queue is full"), warnings.get(0));

            r.release.countDown();
            await().atMost(WAIT).until(() -> r.delivered.size() == 4);

            assertEquals(List.of("e0", "e8", "e9", "e10"), r.delivered);
            await().atMost(WAIT)
                    .until(() -> log.messages().stream()
                            .anyMatch(m -> m.contains("7 events were dropped while the queue was full")));
        }
    }

    @Test
    void shouldKeepTheNewestLatestItemPerKeyAndDeliverItBeforeTheQueue() throws Exception {
        Recorder r = new Recorder();
        r.hold = true;
        try (QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST.withCapacity(2), r)) {
            q.offer("e0");
            r.holding.await();
            q.offer("e1");
            q.offerLatest("door", "door-state-1");
            q.offerLatest("yard", "yard-state-1");
            q.offerLatest("door", "door-state-2");
            for (int i = 0; i < 5; i++) {
                q.offerLatest("door", "door-state-" + (3 + i));
            }
            assertEquals(2, q.queued(), "latest items are not counted as queued events");
            assertEquals(0, q.dropped());

            r.release.countDown();
            await().atMost(WAIT).until(() -> r.delivered.size() == 4);

            assertEquals(List.of("e0", "door-state-7", "yard-state-1", "e1"), r.delivered);
        }
    }

    @Test
    void shouldDeliverWhatIsQueuedOnCloseWhenTheTargetIsUp() {
        Recorder r = new Recorder();
        r.failuresLeft = 2;
        QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST, r);
        for (int i = 0; i < 20; i++) {
            q.offer("e" + i);
        }
        q.close();

        assertEquals(range("e", 0, 20), r.delivered);
    }

    @Test
    void shouldStopAfterTheGracePeriodAndSayHowManyWereLeftWhenTheTargetIsDown() {
        Recorder r = new Recorder();
        r.down = true;
        try (CapturedLog log = CapturedLog.of(QueuedDelivery.class)) {
            QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST.withCloseGrace(Duration.ofMillis(300)), r);
            for (int i = 0; i < 5; i++) {
                q.offer("e" + i);
            }
            q.close();
            q.close(); // twice is fine

            assertEquals(List.of(), r.delivered);
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.contains("closed with 5 events undelivered")),
                    log.messages().toString());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.offer("late"));
            assertTrue(e.getMessage().contains("test is closed"), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldDeliverASignalFirstButNotWaitForItOnClose() throws Exception {
        Recorder r = new Recorder();
        r.hold = true;
        QueuedDelivery<String> q = new QueuedDelivery<>("test", FAST.withCloseGrace(Duration.ofSeconds(60)), r);
        q.offer("e0");
        r.holding.await();
        q.offer("e1");
        q.offerLatest("door", "door-state");
        q.signal("connect", "connect-1");
        q.signal("connect", "connect-2"); // one is waiting already: kept
        r.release.countDown();
        await().atMost(WAIT).until(() -> r.delivered.size() == 4);
        assertEquals(List.of("e0", "connect-1", "door-state", "e1"), r.delivered);

        r.down = true;
        q.signal("connect", "connect-3");
        await().atMost(WAIT).until(() -> r.attempts.contains("connect-3"));
        q.close(); // returns at once although the signal is not delivered and the grace is 60 s (else @Timeout)

        assertEquals(0, q.queued());
    }

    @Test
    void shouldRefuseSettingsThatMakeNoSense() {
        QueuedDelivery.Settings d = QueuedDelivery.Settings.DEFAULTS;
        assertEquals(1000, d.capacity());
        assertEquals(Duration.ofMillis(500), d.firstBackoff());
        assertEquals(Duration.ofSeconds(30), d.maxBackoff());

        IllegalArgumentException capacity = assertThrows(IllegalArgumentException.class, () -> d.withCapacity(0));
        assertEquals("queue capacity must be at least 1, got 0", capacity.getMessage());
        IllegalArgumentException backoff = assertThrows(
                IllegalArgumentException.class, () -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("max backoff PT1S is shorter than the first backoff PT2S", backoff.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    }

    private static List<String> range(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }
}

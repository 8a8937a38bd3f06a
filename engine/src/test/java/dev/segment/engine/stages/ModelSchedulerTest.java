package dev.segment.engine.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelSchedulerTest {
    private final ModelScheduler scheduler = new ModelScheduler("test-model");

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdown();
    }

    @Test
    void dropsLowerTheDutyAndACalmStretchRaisesItUpToTheStreamsCeiling() {
        ModelScheduler.Client c = scheduler.register("cam", 0.5);
        assertEquals(0.5, scheduler.duty(), 1e-9, "a stream starts at its ceiling");
        c.window(3);
        assertEquals(0.5 * ModelScheduler.STEP, scheduler.duty(), 1e-9);
        for (int i = 0; i < 100; i++) {
            c.window(1);
        }
        assertEquals(ModelScheduler.MIN_DUTY, scheduler.duty(), 1e-9, "never below the floor");
        for (int i = 0; i < ModelScheduler.CALM_WINDOWS - 1; i++) {
            c.window(0);
        }
        assertEquals(ModelScheduler.MIN_DUTY, scheduler.duty(), 1e-9, "not before a whole calm stretch");
        c.window(0);
        assertEquals(ModelScheduler.MIN_DUTY / ModelScheduler.STEP, scheduler.duty(), 1e-9);
        for (int i = 0; i < 100; i++) {
            c.window(0);
        }
        assertEquals(0.5, scheduler.duty(), 1e-9, "never above keyframes.liveDuty");
    }

    @Test
    void theLowestCeilingOfTheStreamsHolds() {
        scheduler.register("a", 1.0);
        ModelScheduler.Client b = scheduler.register("b", 0.1);
        assertEquals(0.1, scheduler.duty(), 1e-9, "the lowest ceiling of the streams");
        b.close();
        for (int i = 0; i < 100; i++) {
            scheduler.register("probe", 1.0).window(0);
        }
        assertTrue(scheduler.duty() > 0.1, "the ceiling goes with the stream that set it: " + scheduler.duty());
    }

    @Test
    void urgentRunsGoFirstThenTheNeediest() throws Exception {
        ModelScheduler.Client first = scheduler.register("first", 1.0);
        ModelScheduler.Client low = scheduler.register("low", 1.0);
        ModelScheduler.Client high = scheduler.register("high", 1.0);
        ModelScheduler.Client restart = scheduler.register("restart", 1.0);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Future<Void> busy = first.submit(
                () -> {
                    started.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                },
                1,
                false);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Future<Void> a = low.submit(() -> order.add("low"), 1.5, false);
        Future<Void> b = high.submit(() -> order.add("high"), 4, false);
        Future<Void> c = restart.submit(() -> order.add("restart"), 0, true);
        assertFalse(low.ready(), "the model is busy");
        release.countDown();
        busy.get(10, TimeUnit.SECONDS);
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        c.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("restart", "high", "low"), order);
    }

    @Test
    void aRunAskedForWaitsOutTheDutyCycleButAnUrgentOneDoesNot() throws Exception {
        ModelScheduler.Client c = scheduler.register("cam", 0.2);
        // 200 ms of model at a duty of 0.2: the next run a stream merely asks for is 800 ms away
        c.submit(
                        () -> {
                            Thread.sleep(200);
                            return null;
                        },
                        1,
                        false)
                .get(10, TimeUnit.SECONDS);
        assertFalse(c.ready(), "within the budget's pause");
        assertTrue(c.idle());
        Future<Void> urgent = c.submit(() -> null, 0, true);
        urgent.get(10, TimeUnit.SECONDS); // not held by the pause (the 10 s bound only ends a broken test)
        assertThrows(IllegalStateException.class, () -> {
            c.submit(() -> null, 1, false);
            c.submit(() -> null, 1, false);
        });
    }

    @Test
    void aWaitingRunTakesTheNewestFrameAndTheNeediestStreamGoesFirst() throws Exception {
        ModelScheduler.Client first = scheduler.register("first", 1.0);
        ModelScheduler.Client calm = scheduler.register("calm", 1.0);
        ModelScheduler.Client moving = scheduler.register("moving", 1.0);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Future<Void> busy = first.submit(
                () -> {
                    started.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                },
                1,
                false);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        String[] frame = {"frame 1"};
        Future<Void> a = calm.submit(() -> order.add("calm"), 2, false);
        Future<Void> b = moving.submit(() -> order.add("moving " + frame[0]), 1, false);
        // while it waits, the moving stream's newer frames take the waiting run's place, with their need
        assertTrue(moving.refresh(3, () -> frame[0] = "frame 2"));
        assertTrue(moving.refresh(5, () -> frame[0] = "frame 3"));
        release.countDown();
        busy.get(10, TimeUnit.SECONDS);
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("moving frame 3", "calm"), order, "the neediest first, on its newest frame");
        assertFalse(moving.refresh(9, () -> frame[0] = "too late"), "nothing waits: the run is done");
        assertEquals("frame 3", frame[0]);
    }

    @Test
    void aWaitingRunCanBeTakenBack() throws Exception {
        ModelScheduler.Client c = scheduler.register("cam", 0.05);
        c.submit(
                        () -> {
                            Thread.sleep(100);
                            return null;
                        },
                        1,
                        false)
                .get(10, TimeUnit.SECONDS); // 100 ms at a duty of 5%: the next run waits 1.9 s
        List<String> ran = new CopyOnWriteArrayList<>();
        Future<Void> waiting = c.submit(() -> ran.add("waited"), 1, false);
        assertTrue(c.withdraw());
        assertTrue(waiting.isCancelled());
        assertTrue(c.idle(), "a restart can ask for an urgent run at once");
        c.submit(() -> ran.add("urgent"), 0, true).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("urgent"), ran);
        assertFalse(c.withdraw(), "nothing waits");
    }
}

package dev.segment.serve.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.serve.events.TestSubscriber.Received;
import dev.segment.testing.CapturedLog;
import dev.segment.testing.MosquittoBroker;
import dev.segment.testing.SystemTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real Mosquitto broker started by each test on loopback, killed and restarted as a crash would. */
@SystemTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttEventSinkTest {
    private static final QueuedDelivery.Settings FAST =
            QueuedDelivery.Settings.DEFAULTS.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENTS = "segment/door/events";

    @Test
    void shouldPublishEachEventAsJsonOnTheCameraTopicWithQos1NotRetained() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start();
                TestSubscriber sub = TestSubscriber.subscribe(broker.uri(), "segment/+/events");
                MqttEventSink sink = new MqttEventSink(URI.create(broker.uri()), FAST)) {
            List<Event> events = IntStream.range(0, 5)
                    .mapToObj(i -> TestEvents.event("door", i))
                    .toList();
            events.forEach(sink::event);
            sink.event(TestEvents.event("yard", 9));
            await().atMost(WAIT).until(() -> sub.received().size() == 6);

            List<Received> door = sub.on(EVENTS);
            assertEquals(
                    events,
                    door.stream().map(r -> EventJson.fromJson(r.payload())).toList());
            assertEquals(EventJson.toJson(events.get(0)), door.get(0).payload());
            assertTrue(door.stream().allMatch(r -> r.qos() == 1 && !r.retained()), door.toString());
            assertEquals(1, sub.on("segment/yard/events").size());
            await().atMost(WAIT).until(() -> sink.queued() == 0);
            assertEquals(0, sink.dropped());
            assertTrue(sink.connected());
        }
    }

    @Test
    void shouldLeaveTheNewestStateAndOnlineRetainedForALateSubscriberAndOfflineOnClose() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            try (MqttEventSink sink = new MqttEventSink(URI.create(broker.uri()), FAST)) {
                sink.state("door", "{\"name\":\"door\",\"connected\":false}");
                sink.state("door", "{\"name\":\"door\",\"connected\":true}");
                sink.state("yard", "{\"name\":\"yard\",\"connected\":true}");
                await().atMost(WAIT).until(sink::connected);

                try (TestSubscriber late =
                        TestSubscriber.subscribe(broker.uri(), "segment/+/state", "segment/available")) {
                    await().atMost(WAIT)
                            .until(() -> !late.on("segment/door/state").isEmpty()
                                    && !late.on("segment/yard/state").isEmpty()
                                    && !late.on("segment/available").isEmpty());

                    Received door = last(late.on("segment/door/state"));
                    assertEquals("{\"name\":\"door\",\"connected\":true}", door.payload());
                    assertTrue(door.retained() && door.qos() == 1, door.toString());
                    Received available = last(late.on("segment/available"));
                    assertEquals(new Received("segment/available", "online", 1, true), available);
                }
            }
            try (TestSubscriber afterClose = TestSubscriber.subscribe(broker.uri(), "segment/available")) {
                await().atMost(WAIT).until(() -> !afterClose.received().isEmpty());
                assertEquals("offline", afterClose.received().get(0).payload());
            }
        }
    }

    @Test
    void shouldDeliverEveryEventPublishedWhileTheBrokerWasDownInOrderOnceItIsBack() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start();
                TestSubscriber sub = TestSubscriber.persistent(broker.uri(), EVENTS);
                CapturedLog log = CapturedLog.of(MqttEventSink.class);
                MqttEventSink sink = new MqttEventSink(URI.create(broker.uri()), FAST)) {
            List<Event> events = IntStream.range(0, 30)
                    .mapToObj(i -> TestEvents.event("door", i))
                    .toList();
            events.subList(0, 10).forEach(sink::event);
            await().atMost(WAIT).until(() -> sub.on(EVENTS).size() == 10);
            broker.save(); // the subscriber's session survives the crash; the sink's messages do not need to

            broker.stop();
            await().atMost(WAIT).until(() -> !sink.connected());
            events.subList(10, 30).forEach(sink::event);
            assertEquals(20, sink.queued(), "queued while the broker is down");
            broker.restart();
            sub.connect();
            await().atMost(WAIT).until(() -> distinctIds(sub.on(EVENTS)).size() == 30);

            assertEquals(events.stream().map(Event::id).toList(), distinctIds(sub.on(EVENTS)));
            assertEquals(0, sink.dropped());
            assertEquals(0, sink.queued());
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.contains("lost the connection")),
                    log.messages().toString());
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.contains("connected again")),
                    log.messages().toString());
        }
    }

    @Test
    void shouldConnectAndDeliverWhenTheBrokerComesUpAfterTheSinkStarted() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            // A subscriber that is there when the broker comes back: its session is in the broker's database.
            try (TestSubscriber sub = TestSubscriber.persistent(broker.uri(), EVENTS)) {
                broker.save();
                broker.stop();

                try (MqttEventSink sink = new MqttEventSink(URI.create(broker.uri()), FAST)) {
                    List<Event> events = IntStream.range(0, 3)
                            .mapToObj(i -> TestEvents.event("door", i))
                            .toList();
                    events.forEach(sink::event);
                    sink.state("door", "{\"name\":\"door\"}");
                    assertFalse(sink.connected());
                    assertEquals(3, sink.queued());

                    broker.restart();
                    sub.connect();
                    await().atMost(WAIT).until(() -> distinctIds(sub.on(EVENTS)).size() == 3);

                    assertEquals(events.stream().map(Event::id).toList(), distinctIds(sub.on(EVENTS)));
                    try (TestSubscriber late = TestSubscriber.subscribe(broker.uri(), "segment/#")) {
                        await().atMost(WAIT)
                                .until(() -> !late.on("segment/door/state").isEmpty()
                                        && !late.on("segment/available").isEmpty());
                        assertEquals(
                                "online", last(late.on("segment/available")).payload());
                    }
                }
            }
        }
    }

    @Test
    void shouldLeaveItsLastWillWhenTheConnectionDropsAndSayOnlineAgainOnReconnect() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start();
                TcpRelay network = new TcpRelay(broker.port());
                TestSubscriber sub = TestSubscriber.subscribe(broker.uri(), "segment/available", EVENTS);
                MqttEventSink sink = new MqttEventSink(URI.create("tcp://127.0.0.1:" + network.port()), FAST)) {
            await().atMost(WAIT).until(() -> availability(sub).contains("online"));

            network.cut(); // the broker sees the sink vanish without a DISCONNECT: it publishes the will
            await().atMost(WAIT).until(() -> availability(sub).contains("offline"));
            await().atMost(WAIT)
                    .until(() -> availability(sub).lastIndexOf("online")
                            > availability(sub).indexOf("offline"));
            sink.event(TestEvents.event("door", 7));
            await().atMost(WAIT).until(() -> !sub.on(EVENTS).isEmpty());

            assertEquals(
                    "online",
                    last(sub.on("segment/available")).payload(),
                    sub.received().toString());
            assertEquals(
                    TestEvents.event("door", 7),
                    EventJson.fromJson(last(sub.on(EVENTS)).payload()));
        }
    }

    @Test
    void shouldRefuseABrokerUriItCannotUseWithoutShowingTheCredentials() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new MqttEventSink(URI.create("http://user:hunter2@127.0.0.1:1883")));

        assertEquals(
                "MQTT broker must be tcp://HOST[:PORT] or ssl://HOST[:PORT], got http://127.0.0.1:1883",
                e.getMessage());
    }

    /** The event ids in the order they first arrived (a redelivered duplicate is allowed: QoS 1 is at least once). */
    private static List<String> distinctIds(List<Received> messages) {
        return messages.stream()
                .map(r -> EventJson.fromJson(r.payload()).id())
                .distinct()
                .toList();
    }

    private static List<String> availability(TestSubscriber sub) {
        return sub.on("segment/available").stream().map(Received::payload).toList();
    }

    private static Received last(List<Received> messages) {
        return messages.get(messages.size() - 1);
    }
}

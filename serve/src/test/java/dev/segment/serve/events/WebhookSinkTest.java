package dev.segment.serve.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.segment.testing.CapturedLog;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real HTTP receiver (the JDK's HttpServer on loopback) that answers as a test tells it to. */
@SystemTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookSinkTest {
    private static final QueuedDelivery.Settings FAST =
            QueuedDelivery.Settings.DEFAULTS.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One POST the receiver got, and what it answered. */
    private record Request(String contentType, Event event, int status) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private WebhookSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    /** Starts the receiver on a free loopback port; {@code answer} gives the status for each event. */
    private URI receiver(ToIntFunction<Event> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/hooks/segment", exchange -> handle(exchange, answer));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/segment?token=secret");
    }

    private void handle(HttpExchange exchange, ToIntFunction<Event> answer) throws IOException {
        try (exchange) {
            Event e = EventJson.fromJson(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = answer.applyAsInt(e);
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Content-Type"), e, status));
            byte[] body = ("answered " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private List<Event> accepted() {
        return requests.stream()
                .filter(r -> r.status() / 100 == 2)
                .map(Request::event)
                .toList();
    }

    @Test
    void shouldRetryA503UntilTheReceiverTakesTheEventThenSendTheNextInOrder() throws IOException {
        AtomicInteger unavailable = new AtomicInteger(2);
        URI url = receiver(e -> unavailable.getAndDecrement() > 0 ? 503 : 200);
        Event first = TestEvents.event("door", 0);
        Event second = TestEvents.event("door", 1);

        sink = new WebhookSink(url, FAST);
        sink.event(first);
        sink.event(second);
        await().atMost(WAIT).until(() -> accepted().size() == 2);

        assertEquals(List.of(first, second), accepted());
        assertEquals(
                List.of(503, 503, 200, 200),
                requests.stream().map(Request::status).toList());
        assertEquals(
                List.of(first, first, first, second),
                requests.stream().map(Request::event).toList());
        assertTrue(requests.stream().allMatch(r -> "application/json".equals(r.contentType())));
        await().atMost(WAIT).until(() -> sink.queued() == 0);
    }

    @Test
    void shouldSkipAnEventTheReceiverRefusesWithA400AndNameTheStatusWithoutTheToken() throws IOException {
        URI url = receiver(e -> e.rule().equals("malformed") ? 400 : 202);
        Event refused = TestEvents.event("door", "malformed", 0);
        Event next = TestEvents.event("door", 1);

        try (CapturedLog log = CapturedLog.of(QueuedDelivery.class)) {
            sink = new WebhookSink(url, FAST);
            sink.event(refused);
            sink.event(next);
            await().atMost(WAIT).until(() -> accepted().size() == 1);

            assertEquals(List.of(next), accepted());
            assertEquals(
                    List.of(400, 202), requests.stream().map(Request::status).toList(), "a 400 is not retried");
            assertEquals(0, sink.queued());
            String warning = log.messages().stream()
                    .filter(m -> m.contains("refused"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no warning in " + log.messages()));
            assertTrue(warning.contains("HTTP 400: answered 400"), warning);
            assertTrue(warning.contains("http://127.0.0.1:"), warning);
            assertTrue(!warning.contains("/hooks/segment"), "a webhook's path may hold its secret: " + warning);
            assertTrue(
                    log.messages().stream().noneMatch(m -> m.contains("secret")),
                    log.messages().toString());
        }
    }

    @Test
    void shouldNeverBlockTheCallerWhileTheReceiverHangsAndDropTheOldestWhenFull() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        URI url = receiver(e -> {
            firstArrived.countDown();
            try {
                hang.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });

        sink = new WebhookSink(url, FAST.withCapacity(5));
        sink.event(TestEvents.event("door", 0));
        firstArrived.await(); // event 0 is at the receiver, which does not answer
        for (int i = 1; i <= 20; i++) {
            sink.event(TestEvents.event("door", i)); // returns at once (else @Timeout fails the test)
        }

        assertEquals(15, sink.dropped(), "events 1..15 dropped");
        assertEquals(6, sink.queued(), "event 0 in flight, 16..20 waiting");
        hang.countDown();
        await().atMost(WAIT).until(() -> accepted().size() == 6);

        assertEquals(
                List.of(0, 16, 17, 18, 19, 20).stream()
                        .map(i -> TestEvents.event("door", i))
                        .toList(),
                accepted());
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttp() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new WebhookSink(URI.create("ftp://user:pw@example.org/x")));

        assertEquals("webhook must be an http:// or https:// URL, got ftp://example.org", e.getMessage());
    }
}

package dev.segment.serve.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Events to an HTTP endpoint: each event's JSON in a POST ({@code Content-Type: application/json}), through the JDK's
 * {@link HttpClient}. A 2xx answer is a delivery. A 5xx, 408 or 429 answer, a timeout or a connection error is retried
 * with the queue's backoff, in order; any other answer (a 4xx: the receiver will never take this event) is logged and
 * the event skipped. Connects within 5 s, and a request gets 10 s for its answer.
 */
public final class WebhookSink implements EventSink {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final String target;
    private final HttpClient http;
    private final QueuedDelivery<byte[]> queue;

    /** A sink with the default queue (1000 events, backoff 0.5 s to 30 s). */
    public WebhookSink(URI url) {
        this(url, QueuedDelivery.Settings.DEFAULTS);
    }

    /**
     * @param url an {@code http} or {@code https} URL; its query and user information are never logged
     * @throws IllegalArgumentException for another scheme or a URL without a host
     */
    public WebhookSink(URI url, QueuedDelivery.Settings settings) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(settings, "settings");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook must be an http:// or https:// URL, got " + Redaction.uri(url));
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("webhook URL " + Redaction.uri(url) + " has no host");
        }
        this.url = url;
        this.target = "webhook " + Redaction.uri(url);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.queue = new QueuedDelivery<>(target, settings, this::post);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void event(Event event) {
        queue.offer(EventJson.toBytes(event));
    }

    @Override
    public long dropped() {
        return queue.dropped();
    }

    @Override
    public int queued() {
        return queue.queued();
    }

    /** The endpoint, as logged: without credentials or query. */
    @Override
    public String toString() {
        return target;
    }

    /** Delivers what it can within the queue's grace period, then stops. Safe to call twice. */
    @Override
    public void close() {
        queue.close();
    }

    private void post(byte[] json) throws IOException, InterruptedException, QueuedDelivery.RejectedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
        }
        if (status >= 200 && status < 300) {
            return;
        }
        String answer = "HTTP " + status + (body.isEmpty() ? "" : ": " + body.replaceAll("\\s+", " "));
        if (status >= 500 || status == 408 || status == 429) {
            throw new IOException(answer);
        }
        throw new QueuedDelivery.RejectedException(answer);
    }
}

package dev.segment.engine.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link MetricsRegistry} for Prometheus at {@code GET /metrics} on the JDK's HTTP server, bound to
 * 127.0.0.1 unless told otherwise (metrics reveal what a camera sees; exposing them is a deliberate choice). One
 * daemon thread answers requests. {@link #close()} stops it and is idempotent.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code 127.0.0.1:port} ({@code port} 0 picks a free one). */
    public static MetricsServer start(MetricsRegistry registry, int port) throws IOException {
        return start(registry, "127.0.0.1", port);
    }

    public static MetricsServer start(MetricsRegistry registry, String bindAddress, int port) throws IOException {
        Objects.requireNonNull(registry, "registry");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
        }
        InetAddress address = InetAddress.getByName(Objects.requireNonNull(bindAddress, "bindAddress"));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (IOException e) {
            throw new IOException("cannot listen for metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "segment-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> answer(exchange, registry));
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "/metrics");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/") ? 302 : 404, -1);
            exchange.close();
        });
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void answer(HttpExchange exchange, MetricsRegistry registry) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = PrometheusText.format(registry).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}

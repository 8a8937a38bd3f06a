package dev.segment.engine.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a registry for Prometheus at {@code GET /metrics} (the client library's HTTP exporter: Prometheus text or
 * OpenMetrics as the scraper asks, gzip when accepted), bound to 127.0.0.1 unless told otherwise (metrics reveal
 * what a camera sees; exposing them is a deliberate choice). Its threads are daemons. {@link #close()} stops it and
 * is idempotent.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final InetAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsServer(HTTPServer server, InetAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Listens on {@code 127.0.0.1:port} ({@code port} 0 picks a free one). */
    public static MetricsServer start(PrometheusRegistry registry, int port) throws IOException {
        return start(registry, "127.0.0.1", port);
    }

    /**
     * @throws IOException naming the address and port when it cannot listen there (busy port, unknown address); the
     *         cause is the JDK's (a {@link java.net.BindException} for a busy port)
     */
    public static MetricsServer start(PrometheusRegistry registry, String bindAddress, int port) throws IOException {
        Objects.requireNonNull(registry, "registry");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
        }
        InetAddress address = InetAddress.getByName(Objects.requireNonNull(bindAddress, "bindAddress"));
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(address)
                    .port(port)
                    .registry(registry)
                    .buildAndStart();
            return new MetricsServer(server, address);
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen for metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        String host = address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }
}

package dev.segment.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API on the JDK's HTTP server (the one the browser preview and the Prometheus exporter already
 * use; six routes need no framework): {@code GET/POST /api/cameras}, {@code GET/DELETE /api/cameras/{name}}, {@code POST /api/cameras/{name}/rules},
 * {@code GET /healthz}, {@code GET /metrics} (the Prometheus client's own handler), {@code GET /} (every camera's
 * preview) and each camera's preview under {@code /cameras/{name}/}. Errors are JSON: {@code {"error", "field",
 * "value"}} with a 4xx status. When a token is set, every request must carry {@code Authorization: Bearer TOKEN}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;
    private static final String PAGE = readPage();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Service service;
    private final byte[] token;

    /**
     * Listens on {@code bind:port} (port 0: any free one).
     *
     * @param token the bearer token every request needs, or null; required when {@code bind} is not a loopback
     *              address
     */
    public static ApiServer start(Service service, PrometheusRegistry registry, String bind, int port, String token)
            throws IOException {
        InetAddress address = InetAddress.getByName(bind);
        if (!address.isLoopbackAddress() && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("api.token is required to listen on " + bind + " (beyond this"
                    + " machine): set it in the file's api section");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            throw new IOException("cannot listen for the API on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return new ApiServer(server, service, registry, token);
    }

    private ApiServer(HttpServer server, Service service, PrometheusRegistry registry, String token) {
        this.server = server;
        this.service = Objects.requireNonNull(service, "service");
        this.token = token == null || token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        // previews hold a thread per watching browser: a pool that grows to a bound and refuses beyond it
        executor = new ThreadPoolExecutor(2, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "segment-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        MetricsHandler metrics = new MetricsHandler(registry);
        server.createContext("/api/cameras", ex -> guarded(ex, this::cameras));
        server.createContext(
                "/healthz",
                ex -> guarded(ex, e -> {
                    requireMethod(e, "GET");
                    send(e, 200, service.health());
                }));
        server.createContext(
                "/metrics",
                ex -> guarded(ex, e -> {
                    requireMethod(e, "GET");
                    metrics.handle(e);
                }));
        server.createContext("/", ex -> guarded(ex, this::page));
        server.start();
        service.previewsOn(server, new TokenFilter());
    }

    /** The server, for the cameras' previews. */
    public HttpServer server() {
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException, ApiException;
    }

    /** Refuses a request without the token (compared in constant time); nothing to check without a token. */
    private void requireToken(HttpExchange ex) throws ApiException {
        if (token != null) {
            String given = ex.getRequestHeaders().getFirst("Authorization");
            if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiException(
                        401,
                        "Authorization",
                        null,
                        "a bearer token is required" + " (Authorization: Bearer TOKEN, the file's api.token)");
            }
        }
    }

    /** The token check as a filter, for the cameras' previews on this server: the same rule as the API's. */
    private final class TokenFilter extends Filter {
        @Override
        public void doFilter(HttpExchange ex, Chain chain) throws IOException {
            try {
                requireToken(ex);
            } catch (ApiException e) {
                try (ex) {
                    refuse(ex, e);
                }
                return;
            }
            chain.doFilter(ex);
        }

        @Override
        public String description() {
            return "bearer token";
        }
    }

    /** The token check, then the handler; an ApiException becomes its 4xx. */
    private void guarded(HttpExchange ex, Handler handler) throws IOException {
        try {
            requireToken(ex);
            handler.handle(ex);
        } catch (ApiException e) {
            refuse(ex, e);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{} {} failed: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    e.toString());
            try {
                ObjectNode body = JSON.createObjectNode().put("error", "internal error: " + e.getMessage());
                send(ex, 500, body);
            } catch (IOException | RuntimeException ignored) {
                // the client is gone or the response started
            }
        } finally {
            ex.close();
        }
    }

    private static void refuse(HttpExchange ex, ApiException e) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", e.problem());
        body.put("field", e.field());
        if (e.value() != null) {
            body.put("value", e.value());
        }
        send(ex, e.status(), body);
    }

    private void cameras(HttpExchange ex) throws IOException, ApiException {
        String path = ex.getRequestURI().getRawPath();
        String rest = path.length() <= "/api/cameras".length() ? "" : path.substring("/api/cameras".length());
        if (rest.isEmpty() || rest.equals("/")) {
            switch (ex.getRequestMethod()) {
                case "GET" -> send(ex, 200, service.list());
                case "POST" -> send(ex, 201, service.add(body(ex)));
                default -> throw methodNotAllowed(ex, "GET, POST");
            }
            return;
        }
        String name = URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8);
        if (name.endsWith("/rules")) {
            if (!ex.getRequestMethod().equals("POST")) {
                throw methodNotAllowed(ex, "POST");
            }
            send(ex, 201, service.addRule(name.substring(0, name.length() - "/rules".length()), body(ex)));
            return;
        }
        if (name.contains("/")) {
            throw new ApiException(404, "path", path, "no such resource");
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> send(ex, 200, service.get(name));
            case "DELETE" -> {
                service.remove(name);
                ex.sendResponseHeaders(204, -1);
            }
            default -> throw methodNotAllowed(ex, "GET, DELETE");
        }
    }

    private void page(HttpExchange ex) throws IOException, ApiException {
        requireMethod(ex, "GET");
        if (!ex.getRequestURI().getPath().equals("/")) {
            throw new ApiException(404, "path", ex.getRequestURI().getPath(), "no such page");
        }
        byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static JsonNode body(HttpExchange ex) throws IOException, ApiException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiException(413, "body", null, "larger than " + MAX_BODY + " bytes");
            }
            try {
                return JSON.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ApiException.bad("body", null, "not JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static void requireMethod(HttpExchange ex, String method) throws ApiException {
        if (!ex.getRequestMethod().equals(method)) {
            throw methodNotAllowed(ex, method);
        }
    }

    private static ApiException methodNotAllowed(HttpExchange ex, String allowed) {
        ex.getResponseHeaders().set("Allow", allowed);
        return new ApiException(405, "method", ex.getRequestMethod(), "allowed here: " + allowed);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String readPage() {
        try (InputStream in = ApiServer.class.getResourceAsStream("cameras.html")) {
            if (in == null) {
                throw new IllegalStateException("cameras.html is missing from the serve jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

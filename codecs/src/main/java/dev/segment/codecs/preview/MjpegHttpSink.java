package dev.segment.codecs.preview;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.Redact;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Browser preview: serves the overlay as MJPEG ({@code multipart/x-mixed-replace}) at {@code /stream.mjpg}, the
 * latest frame at {@code /snapshot.jpg}, the run's figures ({@link PreviewFigures}, when {@link #showFigures} was
 * given them) as JSON at {@code /figures.json}, and at {@code /} a page that shows the stream scaled to the window
 * with the figures beside it, polled twice a second. On the JDK's HTTP server, bound to 127.0.0.1 unless told
 * otherwise.
 *
 * <p>{@link #write} never waits for a browser: it JPEG-encodes the frame (only while someone watches, at most
 * {@code maxFps} times a second) and publishes it; each client thread sends the newest frame when it is ready, so a
 * slow client skips frames instead of slowing the pipeline. At most {@code maxClients} streams at once.
 */
public final class MjpegHttpSink implements FrameSink {
    private static final String BOUNDARY = "segmentframe";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = readPage();

    private final String bindAddress;
    private final int requestedPort;
    /** A server of the caller's to add this preview's paths to, under {@link #prefix}; null for a server of its own. */
    private final HttpServer shared;

    private final String prefix;
    /** Checks every request to a preview on a shared server (the server's own access rule), or null. */
    private final Filter access;

    private final int maxClients;
    private final long minIntervalNanos;
    private final RgbImages images = new RgbImages();
    private final Object frameLock = new Object();
    private final AtomicInteger watching = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;
    private volatile boolean closed;
    private byte[] latest;
    private long generation;
    private long lastEncodeNanos;
    private String title = "segment";
    private volatile Supplier<PreviewFigures> figures;

    public MjpegHttpSink(int port) {
        this("127.0.0.1", port, 15, 4);
    }

    /**
     * @param bindAddress address to listen on (127.0.0.1 keeps the preview on this machine)
     * @param port        TCP port, 0 for any free one ({@link #port()} tells which)
     * @param maxFps      most frames per second encoded for browsers, 1..60
     * @param maxClients  simultaneous streams, 1..64
     */
    public MjpegHttpSink(String bindAddress, int port, int maxFps, int maxClients) {
        this(bindAddress, port, null, "", null, maxFps, maxClients);
    }

    /**
     * A preview served by the caller's {@code server} under {@code prefix} (e.g. {@code /cameras/door}: the page at
     * {@code /cameras/door/}, the stream at {@code /cameras/door/stream.mjpg}); the paths are removed on
     * {@link #close()}, the server stays. Its executor must allow {@code maxClients} long requests at once.
     *
     * @param access the server's access rule, run before every request to the preview (a bearer token), or null
     */
    public MjpegHttpSink(HttpServer server, String prefix, Filter access, int maxFps, int maxClients) {
        this("", 0, Objects.requireNonNull(server, "server"), prefix, access, maxFps, maxClients);
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start with / and not end with one, got " + prefix);
        }
    }

    private MjpegHttpSink(
            String bindAddress, int port, HttpServer shared, String prefix, Filter access, int maxFps, int maxClients) {
        this.shared = shared;
        this.prefix = prefix;
        this.access = access;
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http preview port must be 0..65535, got " + port);
        }
        if (maxFps < 1 || maxFps > 60) {
            throw new IllegalArgumentException("maxFps must be 1..60, got " + maxFps);
        }
        if (maxClients < 1 || maxClients > 64) {
            throw new IllegalArgumentException("maxClients must be 1..64, got " + maxClients);
        }
        this.requestedPort = port;
        this.maxClients = maxClients;
        this.minIntervalNanos = 1_000_000_000L / maxFps;
    }

    @Override
    public void open(VideoInfo info) throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("MjpegHttpSink can be opened once");
        }
        title = Redact.redact(info.description());
        if (shared != null) {
            server = shared;
            addContexts();
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), requestedPort), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen for the browser preview on " + bindAddress + ":" + requestedPort + ": "
                            + e.getMessage(),
                    e);
        }
        executor = new ThreadPoolExecutor(
                maxClients + 2, maxClients + 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(16), r -> {
                    Thread t = new Thread(r, "segment-preview-http");
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(executor);
        addContexts();
        server.start();
    }

    private static final String[] PATHS = {"/stream.mjpg", "/snapshot.jpg", "/figures.json", "/"};

    private void addContexts() {
        List<HttpContext> contexts = List.of(
                server.createContext(prefix + PATHS[0], this::stream),
                server.createContext(prefix + PATHS[1], this::snapshot),
                server.createContext(prefix + PATHS[2], this::figures),
                server.createContext(prefix + PATHS[3], this::page));
        if (access != null) {
            contexts.forEach(c -> c.getFilters().add(access));
        }
    }

    /**
     * What the page shows beside the overlay: called on the HTTP server's threads at each poll (about twice a second
     * per open page), so it must be thread-safe and quick. Without it the page shows the overlay alone.
     */
    public void showFigures(Supplier<PreviewFigures> source) {
        figures = Objects.requireNonNull(source, "source");
    }

    /** The port listened on (after {@link #open}). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + prefix + "/";
    }

    /** Browsers currently receiving the stream. */
    public int clients() {
        return watching.get();
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        long now = System.nanoTime();
        boolean first;
        synchronized (frameLock) {
            first = latest == null;
        }
        if (!first && (watching.get() == 0 || now - lastEncodeNanos < minIntervalNanos)) {
            return;
        }
        lastEncodeNanos = now;
        byte[] jpeg = images.toJpeg(images.toImage(frame.overlay(), frame.width(), frame.height()));
        synchronized (frameLock) {
            latest = jpeg;
            generation++;
            frameLock.notifyAll();
        }
    }

    private void page(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(prefix + "/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            send(
                    ex,
                    "text/html; charset=utf-8",
                    PAGE.replace("{{TITLE}}", escape(title)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void figures(HttpExchange ex) throws IOException {
        try (ex) {
            Supplier<PreviewFigures> source = figures;
            if (source == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            send(ex, "application/json", JSON.writeValueAsBytes(source.get()));
        }
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String readPage() {
        try (InputStream in = MjpegHttpSink.class.getResourceAsStream("preview.html")) {
            if (in == null) {
                throw new IllegalStateException("preview.html is missing from the codecs jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void snapshot(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] jpeg = awaitFrame(-1, 5000);
            if (jpeg == null) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            send(ex, "image/jpeg", jpeg);
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        try (ex) {
            if (watching.incrementAndGet() > maxClients) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long seen = -1;
            while (!closed) {
                byte[] jpeg;
                long gen;
                synchronized (frameLock) {
                    jpeg = awaitFrame(seen, 1000);
                    gen = generation;
                }
                if (jpeg == null || gen == seen) {
                    continue;
                }
                seen = gen;
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException clientLeft) {
            // the browser closed the connection
        } finally {
            watching.decrementAndGet();
        }
    }

    /** The newest frame once its generation differs from {@code seen}; null if none within the wait or closed. */
    private byte[] awaitFrame(long seen, long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (frameLock) {
            while (!closed && (latest == null || generation == seen)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                try {
                    frameLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return closed ? null : latest;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (frameLock) {
            frameLock.notifyAll();
        }
        if (server != null && shared != null) {
            for (String path : PATHS) {
                try {
                    shared.removeContext(prefix + path);
                } catch (IllegalArgumentException gone) {
                    // not added (closed before it opened) or removed already
                }
            }
        } else if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}

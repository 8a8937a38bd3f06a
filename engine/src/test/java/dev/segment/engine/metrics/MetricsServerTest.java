package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void scrapedExpositionParsesAndCarriesCountersGaugesAndCumulativeBuckets() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        Counter frames = r.counter("segment_frames_out_total", "frames");
        Gauge ring = r.gauge("segment_ring_occupancy", "ring");
        Histogram infer = r.histogram("segment_stage_seconds", "stage time", new double[] {0.01, 0.1, 1}, "stage",
                "infer");
        Histogram crf = r.histogram("segment_stage_seconds", "stage time", new double[] {0.01, 0.1, 1}, "stage",
                "crf");
        r.gauge("segment_label_escape", "escaping \\ and \" in labels", () -> 0.5, "source", "a\"b\\c");
        frames.add(41);
        frames.inc();
        ring.set(3);
        for (double v : new double[] {0.005, 0.05, 0.05, 0.5, 5}) {
            infer.observe(v);
        }
        crf.observe(0.01);
        try (MetricsServer server = MetricsServer.start(r, 0)) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            PrometheusScrape s = PrometheusScrape.fetch(server.url());
            assertTrue(s.contentType.startsWith("text/plain; version=0.0.4"), s.contentType);
            assertEquals(42, s.value("segment_frames_out_total"));
            assertEquals(3, s.value("segment_ring_occupancy"));
            assertEquals("histogram", s.types.get("segment_stage_seconds"));
            assertEquals(1, s.value("segment_stage_seconds_bucket", "stage=\"infer\",le=\"0.01\""));
            assertEquals(3, s.value("segment_stage_seconds_bucket", "stage=\"infer\",le=\"0.1\""));
            assertEquals(4, s.value("segment_stage_seconds_bucket", "stage=\"infer\",le=\"1\""));
            assertEquals(5, s.value("segment_stage_seconds_bucket", "stage=\"infer\",le=\"+Inf\""));
            assertEquals(5, s.value("segment_stage_seconds_count", "stage=\"infer\""));
            assertEquals(5.605, s.value("segment_stage_seconds_sum", "stage=\"infer\""), 1e-9);
            assertEquals(1, s.value("segment_stage_seconds_bucket", "stage=\"crf\",le=\"0.01\""),
                    "an observation equal to a bound falls in that bucket (le)");
            assertEquals(0.5, s.value("segment_label_escape", "source=\"a\\\"b\\\\c\""));
        }
    }

    @Test
    void listensOnLoopbackOnlyAndStopsOnClose() throws Exception {
        MetricsServer server = MetricsServer.start(new MetricsRegistry(), 0);
        int port = server.port();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
        server.close();
        server.close();
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        });
    }

    @Test
    void histogramAndCounterCountEveryObservationUnderContention() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        Histogram h = r.histogram("h_seconds", "h", Histogram.LATENCY_SECONDS);
        Counter c = r.counter("c_total", "c");
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            final int seed = t;
            pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    h.observe(((i + seed) % 100) / 1000.0);
                    c.inc();
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals((long) threads * perThread, h.count());
        assertEquals((long) threads * perThread, c.get());
        double p50 = h.quantile(0.5);
        assertTrue(p50 > 0.04 && p50 < 0.08, "p50 of uniform 0..99 ms should be near 50 ms, got " + p50);
    }

    @Test
    void rejectsDuplicateSeriesAndTypeClashesAndBadNames() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("x_total", "x");
        assertThrows(IllegalArgumentException.class, () -> r.counter("x_total", "x"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("x_total", "x", "a", "b"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.counter("9bad", "x")).getMessage()
                .contains("9bad"));
        assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "h", new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> r.counter("y_total", "y", "le", "1"));
    }
}

package dev.segment.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpServer;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import dev.segment.serve.events.Event;
import dev.segment.serve.events.EventSink;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras of one {@code segment serve} process and what they share: the one loaded model (their keyframes go
 * through the process's one model scheduler), the event sinks, the metrics registry. Adding, removing and listing
 * cameras is thread-safe; a change is applied at once and written back to the file only when {@code persist} is on.
 */
public final class Service implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Service.class);
    private static final long STATE_SECONDS = 5;

    private final SegmentConfig settings;
    private final DeepLabModel model;
    private final List<EventSink> sinks;
    private final Path snapshots;
    private final ServeFile file;
    private final boolean persist;
    private final PrometheusRegistry registry;
    private final Clock clock;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final Counter events;
    private final ScheduledExecutorService states;
    private volatile HttpServer api;
    private volatile Filter apiAccess;
    private boolean closed;

    /**
     * @param settings  the service-wide configuration (each camera's settings go over it)
     * @param model     the model every camera shares; the service does not close it
     * @param sinks     where events go; the service closes them
     * @param snapshots the directory event snapshots go under, or null for none
     * @param file      the service's file, written back on changes when {@code persist}
     * @param registry  the registry the service's and every camera's metrics are served from
     */
    public Service(
            SegmentConfig settings,
            DeepLabModel model,
            List<EventSink> sinks,
            Path snapshots,
            ServeFile file,
            boolean persist,
            PrometheusRegistry registry,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.model = Objects.requireNonNull(model, "model");
        this.sinks = List.copyOf(sinks);
        this.snapshots = snapshots;
        this.file = Objects.requireNonNull(file, "file");
        this.persist = persist;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        registry.register(new MetricsByCamera(this::registries));
        events = Counter.builder()
                .name("segment_events_total")
                .help("Rule events raised, by camera, rule and type (start, update, end)")
                .labelNames("camera", "rule", "type")
                .register(registry);
        GaugeWithCallback.builder()
                .name("segment_event_sink_queued")
                .help("Events waiting for delivery, by sink")
                .labelNames("sink")
                .callback(c -> this.sinks.forEach(s -> c.call(s.queued(), s.name())))
                .register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("segment_event_sink_dropped_total")
                .help("Events a sink dropped because its queue was full (its target was down too long)")
                .labelNames("sink")
                .callback(c -> this.sinks.forEach(s -> c.call(s.dropped(), s.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("segment_models_loaded")
                .help("DeepLab graphs loaded in this process (every camera shares one)")
                .callback(c -> c.call(ModelCache.processWide().size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("segment_cameras")
                .help("Cameras configured in the service")
                .callback(c -> c.call(size()))
                .register(registry);
        states = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segment-camera-states");
            t.setDaemon(true);
            return t;
        });
        states.scheduleAtFixedRate(this::publishStates, STATE_SECONDS, STATE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The API's server, where each camera's preview is added, with its access rule (run before every preview
     * request); set before cameras are added.
     */
    public void previewsOn(HttpServer server, Filter access) {
        this.api = server;
        this.apiAccess = access;
    }

    public SegmentConfig settings() {
        return settings;
    }

    public synchronized int size() {
        return cameras.size();
    }

    private synchronized Map<String, PrometheusRegistry> registries() {
        Map<String, PrometheusRegistry> m = new LinkedHashMap<>();
        cameras.forEach((n, c) -> m.put(n, c.registry()));
        return m;
    }

    /** Checks and starts one camera; nothing changes when it is refused. */
    public ObjectNode add(JsonNode definition) throws ApiException {
        CameraSpec spec = CameraSpec.parse(definition);
        return add(spec, true);
    }

    /** Starts the cameras of the service's file (not written back). */
    public void addAll(List<CameraSpec> specs) throws ApiException {
        for (CameraSpec s : specs) {
            add(s, false);
        }
    }

    private synchronized ObjectNode add(CameraSpec spec, boolean write) throws ApiException {
        if (closed) {
            throw new ApiException(503, "name", spec.name(), "the service is stopping");
        }
        if (cameras.containsKey(spec.name())) {
            throw new ApiException(409, "name", spec.name(), "a camera of that name exists; remove it first");
        }
        SegmentConfig config = ServeFile.forCamera(settings, spec);
        Camera camera;
        try {
            camera = new Camera(spec, config, model, api, apiAccess, this::publish, snapshots, clock);
        } catch (RuntimeException e) {
            throw ApiException.bad("outputs", null, String.valueOf(e.getMessage()));
        }
        if (write) {
            persistWith(spec.name(), spec); // before the change: a refused write changes nothing (not started yet)
        }
        cameras.put(spec.name(), camera);
        camera.start();
        LOG.info(
                "camera {} added: {} at {} fps",
                spec.name(),
                camera.state().get("source").asText(),
                spec.fps());
        return camera.state();
    }

    /**
     * Adds one rule to a running camera (from its next frame on); a camera that does not exist is a 404, a rule that
     * does not fit the camera (unknown zone, a name taken) a 400. Nothing changes when it is refused.
     */
    public synchronized ObjectNode addRule(String cameraName, JsonNode rule) throws ApiException {
        Camera camera = cameras.get(cameraName);
        if (camera == null) {
            throw new ApiException(
                    404,
                    "camera",
                    cameraName,
                    "no such camera; the cameras are " + String.join(", ", cameras.keySet()));
        }
        ObjectNode definition = camera.spec().definition().deepCopy();
        ArrayNode rules = definition.has("rules") && definition.get("rules").isArray()
                ? (ArrayNode) definition.get("rules")
                : definition.putArray("rules");
        rules.add(rule);
        CameraSpec updated = CameraSpec.parse(definition);
        persistWith(cameraName, updated); // before the change: a refused write changes nothing
        camera.addRules(updated);
        return camera.state();
    }

    /** Stops one camera (its recordings are finalized) and forgets it. */
    public void remove(String name) throws ApiException {
        Camera camera;
        synchronized (this) {
            camera = cameras.get(name);
            if (camera == null) {
                throw new ApiException(404, "name", name, "no such camera");
            }
            persistWith(name, null); // before the change: a refused write changes nothing
            cameras.remove(name);
        }
        camera.close();
        // the retained state would otherwise show the camera as it was, forever
        String gone = JsonNodeFactory.instance
                .objectNode()
                .put("name", name)
                .put("status", "removed")
                .toString();
        sinks.forEach(s -> s.state(name, gone));
        LOG.info("camera {} removed", name);
    }

    public synchronized ObjectNode get(String name) throws ApiException {
        Camera c = cameras.get(name);
        if (c == null) {
            throw new ApiException(404, "name", name, "no such camera");
        }
        return c.state();
    }

    public synchronized ArrayNode list() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        cameras.values().forEach(c -> a.add(c.state()));
        return a;
    }

    /** The service's health: ok when every camera runs, degraded otherwise; the counts of each. */
    public synchronized ObjectNode health() {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        int running = 0;
        List<String> notRunning = new ArrayList<>();
        for (Camera c : cameras.values()) {
            if (c.status() == Camera.Status.RUNNING) {
                running++;
            } else {
                notRunning.add(c.spec().name());
            }
        }
        h.put("status", notRunning.isEmpty() ? "ok" : "degraded");
        h.put("cameras", cameras.size());
        h.put("running", running);
        h.put("modelsLoaded", ModelCache.processWide().size());
        ArrayNode n = h.putArray("notRunning");
        notRunning.forEach(n::add);
        ArrayNode s = h.putArray("sinks");
        for (EventSink sink : sinks) {
            s.addObject().put("name", sink.name()).put("queued", sink.queued()).put("dropped", sink.dropped());
        }
        return h;
    }

    private void publish(Event e) {
        events.labelValues(e.camera(), e.rule(), e.type().name().toLowerCase(java.util.Locale.ROOT))
                .inc();
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(
                    java.util.Locale.ROOT,
                    "event %s %s %s: share %.3f (peak %.3f) at the camera's %.1f s (the event started at %.1f s)",
                    e.camera(),
                    e.rule(),
                    e.type().name().toLowerCase(java.util.Locale.ROOT),
                    e.share(),
                    e.peakShare(),
                    e.streamTime(),
                    e.streamStart()));
        }
        for (EventSink s : sinks) {
            s.event(e);
        }
    }

    private void publishStates() {
        if (sinks.isEmpty()) {
            return;
        }
        try {
            Map<String, String> now = new LinkedHashMap<>();
            synchronized (this) {
                cameras.forEach((n, c) -> now.put(n, c.state().toString()));
            }
            now.forEach((n, json) -> sinks.forEach(s -> s.state(n, json)));
        } catch (RuntimeException e) {
            LOG.warn("publishing the camera states failed: {}", e.toString());
        }
    }

    /**
     * Writes the cameras back as they will be after one change: camera {@code name} defined by {@code spec} (in its
     * place, or last when it is new), or gone when {@code spec} is null.
     */
    private void persistWith(String name, CameraSpec spec) throws ApiException {
        List<CameraSpec> specs = new ArrayList<>();
        cameras.forEach((n, c) -> {
            if (!n.equals(name)) {
                specs.add(c.spec());
            } else if (spec != null) {
                specs.add(spec);
            }
        });
        if (spec != null && !cameras.containsKey(name)) {
            specs.add(spec);
        }
        persist(specs);
    }

    /** Writes {@code specs} back to the file when {@code --persist} is on; a 500 naming the file when it cannot. */
    private void persist(List<CameraSpec> specs) throws ApiException {
        if (!persist || file.file() == null) {
            return;
        }
        try {
            file.write(specs);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(
                    500,
                    "persist",
                    String.valueOf(file.file()),
                    "cannot write the file back, nothing" + " changed: " + e.getMessage());
        }
    }

    /** Stops every camera (finalizing their recordings, ending their running events), then the sinks. */
    @Override
    public void close() {
        List<Camera> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(cameras.values());
        }
        states.shutdownNow();
        List<Thread> stopping = new ArrayList<>();
        for (Camera c : all) {
            Thread t = new Thread(c::close, "segment-stop-" + c.spec().name());
            t.start(); // every camera finalizes at once: a SIGTERM grace period is not N times 30 s
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        publishStates();
        for (EventSink s : sinks) {
            s.close();
        }
    }
}

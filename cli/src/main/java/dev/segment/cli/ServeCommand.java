package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.app.Models;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.metrics.MetricsRegistries;
import dev.segment.serve.ApiException;
import dev.segment.serve.ApiServer;
import dev.segment.serve.CameraSpec;
import dev.segment.serve.ServeFile;
import dev.segment.serve.Service;
import dev.segment.serve.events.EventSink;
import dev.segment.serve.events.JsonLinesSink;
import dev.segment.serve.events.MqttEventSink;
import dev.segment.serve.events.WebhookSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segment serve [--config serve.yaml]}: many cameras in one process sharing one model, a REST API to add,
 * remove and watch them, and rule events to MQTT, a webhook and a JSON-lines file. Runs until SIGTERM (or
 * {@code --duration}); stopping finalizes every recording and ends every running event.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Run many cameras in one process with one shared model, a REST API and rule events"
                + " (MQTT, webhook, JSON lines).")
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8080;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The service's file (YAML or JSON): settings,"
                    + " api, events, cameras. Without it the service starts empty and waits for the API.")
    Path config;

    @Option(names = "--model", paramLabel = "GRAPH.pb", description = "The DeepLab graph (settings.model.path).")
    String model;

    @Option(
            names = "--api-port",
            paramLabel = "PORT",
            description = "The API's port (api.port; default 8080, 0 for" + " any free one).")
    Integer apiPort;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description = "The API's address (api.bind; default 127.0.0.1;" + " any other needs api.token).")
    String bind;

    @Option(names = "--mqtt", paramLabel = "tcp://HOST:PORT", description = "MQTT broker for events (events.mqtt).")
    String mqtt;

    @Option(names = "--webhook", paramLabel = "URL", description = "POST every event here (events.webhook).")
    String webhook;

    @Option(names = "--events", paramLabel = "FILE.jsonl", description = "Append every event here (events.file).")
    Path events;

    @Option(
            names = "--snapshots",
            paramLabel = "DIR",
            description = "Where event snapshots go (events.snapshots;" + " default ./snapshots).")
    Path snapshots;

    @Option(names = "--persist", description = "Write cameras added or removed through the API back to --config.")
    boolean persist;

    @Option(
            names = "--duration",
            paramLabel = "S",
            description = "Stop after S seconds (default: run until" + " SIGTERM).")
    Double duration;

    @Override
    public Integer call() throws Exception {
        return run(System.err);
    }

    int run(PrintStream err) throws Exception {
        if (persist && config == null) {
            throw new ConfigException("--persist", "persist", "true", "needs --config FILE to write the cameras to");
        }
        if (duration != null && !(duration > 0)) {
            throw new ConfigException("--duration", "duration", duration.toString(), "must be > 0");
        }
        ServeFile file = config == null ? ServeFile.empty() : ServeFile.read(config);
        ConfigOverrides commandLine = new ConfigOverrides();
        if (model != null) {
            commandLine.set("model.path", model, "--model");
        }
        SegmentConfig settings = file.settings(commandLine);
        Models.require(settings, Models.NO_MODEL);
        // one file for every camera would mix their frames: these are set per camera
        if (settings.output().statsFile() != null || settings.output().masksDir() != null) {
            boolean stats = settings.output().statsFile() != null;
            throw new ConfigException(
                    String.valueOf(config),
                    "settings.output." + (stats ? "statsFile" : "masksDir"),
                    stats ? settings.output().statsFile() : settings.output().masksDir(),
                    "is per camera: set it in a camera's settings (every camera would write the same one)");
        }
        List<CameraSpec> cameras = file.cameras();
        String address = first(bind, file.text("api", "bind"), "127.0.0.1");
        int port =
                apiPort != null ? apiPort : Integer.parseInt(first(null, file.text("api", "port"), "" + DEFAULT_PORT));
        List<EventSink> sinks = sinks(file);
        Path snapshotDir = Path.of(
                first(snapshots == null ? null : snapshots.toString(), file.text("events", "snapshots"), "snapshots"));
        PrometheusRegistry registry = MetricsRegistries.withJvmAndProcess();
        CountDownLatch stopped = new CountDownLatch(1);
        try (DeepLabModel shared = Models.acquire(settings, true)) {
            shared.warmUp(640, 360, settings.inference().unpadded());
            Service service =
                    new Service(settings, shared, sinks, snapshotDir, file, persist, registry, Clock.systemUTC());
            ApiServer api;
            try {
                api = ApiServer.start(service, registry, address, port, file.text("api", "token"));
            } catch (IllegalArgumentException e) {
                service.close();
                throw new ConfigException("--bind", "api.token", null, e.getMessage());
            }
            Thread hook = new Thread(
                    () -> {
                        err.println("segment: stopping: finalizing every camera's outputs");
                        err.flush();
                        service.close();
                        api.close();
                        stopped.countDown();
                    },
                    "segment-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                service.addAll(cameras);
            } catch (ApiException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                service.close(); // the cameras started before this one stop with their outputs finalized
                api.close();
                throw new ConfigException(String.valueOf(config), "cameras." + e.field(), e.value(), e.problem());
            }
            err.println("segment: serving " + cameras.size() + " camera" + (cameras.size() == 1 ? "" : "s")
                    + "; API and preview at " + api.url() + ", metrics at " + api.url() + "metrics");
            err.flush();
            boolean signalled = duration == null
                    ? awaitForever(stopped)
                    : stopped.await(Math.round(duration * 1000), TimeUnit.MILLISECONDS);
            if (signalled) {
                return ExitCodes.TERMINATED;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            service.close();
            api.close();
            err.println("segment: stopped after " + duration + " s");
            return ExitCodes.OK;
        }
    }

    private static boolean awaitForever(CountDownLatch stopped) throws InterruptedException {
        stopped.await();
        return true;
    }

    private List<EventSink> sinks(ServeFile file) throws ConfigException {
        List<EventSink> sinks = new ArrayList<>();
        String broker = first(mqtt, file.text("events", "mqtt"), null);
        String hook = first(webhook, file.text("events", "webhook"), null);
        String lines = first(events == null ? null : events.toString(), file.text("events", "file"), null);
        try {
            if (broker != null) {
                sinks.add(new MqttEventSink(URI.create(broker)));
            }
            if (hook != null) {
                sinks.add(new WebhookSink(URI.create(hook)));
            }
            if (lines != null) {
                sinks.add(new JsonLinesSink(Path.of(lines)));
            }
        } catch (IllegalArgumentException e) {
            sinks.forEach(EventSink::close);
            throw new ConfigException("--mqtt/--webhook/--events", "events", null, e.getMessage());
        }
        return sinks;
    }

    private static String first(String flag, String fromFile, String fallback) {
        return flag != null ? flag : fromFile != null ? fromFile : fallback;
    }
}

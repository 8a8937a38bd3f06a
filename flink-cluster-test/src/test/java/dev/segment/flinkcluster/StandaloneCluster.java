package dev.segment.flinkcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.testing.Ports;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on 127.0.0.1 as Flink's scripts start one, without a Flink distribution (Maven
 * Central does not serve flink-dist): a JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers
 * ({@code TaskManagerRunner}), each its own {@code java} process with the JVM memory options Flink's
 * {@code BashJavaUtils} computes from {@code conf/config.yaml}, the way {@code jobmanager.sh} and
 * {@code taskmanager.sh} do. The class path is Flink's jars plus {@code flink-lib/*.jar}, as flink/README.md tells
 * users to install them into Flink's {@code lib/}; jobs are submitted with Flink's CLI ({@code CliFrontend}, the
 * {@code flink} command's main class).
 */
final class StandaloneCluster {
    /** The {@code env.java.opts.all} of Flink's default configuration for Java 17. */
    static final List<String> JAVA_17_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final Path conf;
    final Path logs;
    final String classPath;
    final int restPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process[] taskManagers;
    private Process jobManager;

    /**
     * A cluster in {@code home} (conf/ and log/ are made there) with {@code taskManagers} TaskManagers;
     * {@code flinkJars} is Flink's class path, {@code flinkLib} the folder of the job's native libraries.
     */
    StandaloneCluster(Path home, String flinkJars, Path flinkLib, int taskManagers) throws IOException {
        this.home = home;
        this.conf = Files.createDirectories(home.resolve("conf"));
        this.logs = Files.createDirectories(home.resolve("log"));
        List<String> cp = new ArrayList<>(Arrays.asList(flinkJars.split(File.pathSeparator)));
        try (Stream<Path> jars = Files.list(flinkLib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
        }
        this.classPath = String.join(File.pathSeparator, cp);
        this.restPort = Ports.free();
        this.taskManagers = new Process[taskManagers];
        Files.writeString(conf.resolve("config.yaml"), config(restPort, Ports.free()));
        Files.writeString(conf.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.append = true
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                logger.pekko.name = org.apache.pekko
                logger.pekko.level = WARN
                """);
    }

    /**
     * The cluster's configuration: flink/README.md's settings for the job's native libraries and memory (scaled to
     * a small machine: one slot a TaskManager), its restart strategy, and checkpoints every 2 s.
     */
    static String config(int restPort, int rpcPort) {
        return """
                jobmanager.rpc.address: 127.0.0.1
                jobmanager.rpc.port: %d
                jobmanager.bind-host: 127.0.0.1
                jobmanager.memory.process.size: 1g
                rest.address: 127.0.0.1
                rest.bind-address: 127.0.0.1
                rest.port: %d
                taskmanager.host: 127.0.0.1
                taskmanager.bind-host: 127.0.0.1
                taskmanager.numberOfTaskSlots: 1
                taskmanager.memory.process.size: 2g
                taskmanager.memory.task.off-heap.size: 256m
                taskmanager.memory.jvm-overhead.min: 768m
                taskmanager.memory.jvm-overhead.max: 768m
                taskmanager.memory.managed.size: 0m
                classloader.parent-first-patterns.additional: org.bytedeco;org.tensorflow;dev.segment.crf;com.google.protobuf
                execution.checkpointing.interval: 2s
                restart-strategy.type: exponential-delay
                restart-strategy.exponential-delay.initial-backoff: 1s
                restart-strategy.exponential-delay.backoff-multiplier: 2.0
                restart-strategy.exponential-delay.max-backoff: 30s
                restart-strategy.exponential-delay.jitter-factor: 0.1
                restart-strategy.exponential-delay.reset-backoff-threshold: 10min
                restart-strategy.exponential-delay.attempts-before-reset-backoff: 20
                """.formatted(rpcPort, restPort);
    }

    void startJobManager() throws IOException, InterruptedException {
        jobManager = startDaemon(
                "jobmanager",
                "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    }

    /** Starts TaskManager {@code index} (again, after a kill: a new process with a new id, as a replaced machine). */
    void startTaskManager(int index) throws IOException, InterruptedException {
        taskManagers[index] = startDaemon(
                "taskmanager-" + index,
                "GET_TM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    }

    /** SIGKILL for TaskManager {@code index}. */
    void killTaskManager(int index) throws InterruptedException {
        Processes.kill(taskManagers[index]);
    }

    private Process startDaemon(String name, String resourceCommand, String mainClass)
            throws IOException, InterruptedException {
        // As Flink's scripts: BashJavaUtils turns the memory configuration into JVM options and dynamic properties.
        String out = Processes.run(
                List.of(
                        java(),
                        "-Xmx128m",
                        "-cp",
                        classPath,
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        resourceCommand,
                        "--configDir",
                        conf.toString()),
                Map.of(),
                120);
        List<String> results = out.lines()
                .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
                .toList();
        if (results.isEmpty()) {
            throw new IOException("BashJavaUtils " + resourceCommand + " gave no result: " + out);
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(Arrays.asList(results.get(0).split("\\s+")));
        command.addAll(JAVA_17_OPTIONS);
        Path log = logs.resolve(name + ".log");
        command.add("-Dlog.file=" + log);
        command.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
        command.addAll(List.of("-cp", classPath, mainClass, "--configDir", conf.toString()));
        if (results.size() > 1 && !results.get(results.size() - 1).isBlank()) {
            command.addAll(Arrays.asList(results.get(results.size() - 1).split("\\s+")));
        }
        return Processes.start(command, Map.of(), logs.resolve(name + ".out"));
    }

    /** {@code flink run ARGS} (Flink's CLI main class), attached: returns the running client process. */
    Process submit(List<String> runArgs, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
        command.addAll(JAVA_17_OPTIONS);
        command.add("-Dlog.file=" + logs.resolve("client.log"));
        command.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
        command.addAll(List.of("-cp", classPath, "org.apache.flink.client.cli.CliFrontend", "run"));
        command.addAll(runArgs);
        return Processes.start(command, Map.of("FLINK_CONF_DIR", conf.toString()), out);
    }

    /** GET on the REST API; null when the JobManager does not answer (yet). */
    JsonNode rest(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Registered TaskManagers, or -1 when the JobManager does not answer. */
    int taskManagerCount() {
        JsonNode o = rest("/overview");
        return o == null ? -1 : o.path("taskmanagers").asInt(-1);
    }

    /** The id of the job that is running, or null when none is. */
    String jobIdOfRunning() {
        JsonNode o = rest("/jobs/overview");
        if (o != null) {
            for (JsonNode j : o.path("jobs")) {
                if (j.path("state").asText().equals("RUNNING")) {
                    return j.path("jid").asText();
                }
            }
        }
        return null;
    }

    /** Cancels every job that has not ended (after a failed case, so that the next one has the slots). */
    void cancelRunningJobs() {
        JsonNode o = rest("/jobs/overview");
        if (o == null) {
            return;
        }
        for (JsonNode j : o.path("jobs")) {
            String state = j.path("state").asText();
            if (!List.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
                try {
                    http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/jobs/"
                                            + j.path("jid").asText() + "?mode=cancel"))
                                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // the JobManager is gone: nothing runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    String jobState(String jobId) {
        JsonNode j = rest("/jobs/" + jobId);
        return j == null ? null : j.path("state").asText();
    }

    /** Completed checkpoints of a job. */
    long completedCheckpoints(String jobId) {
        JsonNode c = rest("/jobs/" + jobId + "/checkpoints");
        return c == null ? 0 : c.path("counts").path("completed").asLong();
    }

    /** The failures the job recovered from (the JobManager's exception history), as text. */
    List<String> failures(String jobId) {
        JsonNode e = rest("/jobs/" + jobId + "/exceptions");
        List<String> out = new ArrayList<>();
        if (e != null) {
            e.path("exceptionHistory")
                    .path("entries")
                    .forEach(n -> out.add(n.path("exceptionName").asText() + ": "
                            + n.path("stacktrace").asText().lines().findFirst().orElse("")));
        }
        return out;
    }

    /** Waits until {@code condition} holds, failing with {@code what} and the logs after {@code seconds}. */
    <T> T await(String what, long seconds, java.util.function.Supplier<T> probe, Predicate<T> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        T value = probe.get();
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "waited " + seconds + " s for " + what + " (last: " + value + ")\n" + logTails());
            }
            Thread.sleep(250);
            value = probe.get();
        }
        return value;
    }

    /** Lines of the TaskManagers' logs (all their processes so far) that contain {@code text}. */
    long taskManagerLogLines(String text) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("taskmanager-\\d+\\.log"))
                    .toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    n += lines.filter(l -> l.contains(text)).count();
                }
            }
        }
        return n;
    }

    String logTails() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                b.append("---- ")
                        .append(f.getFileName())
                        .append('\n')
                        .append(Processes.tail(f, 40))
                        .append('\n');
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

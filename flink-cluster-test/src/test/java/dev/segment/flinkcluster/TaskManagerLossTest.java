package dev.segment.flinkcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.testing.ClusterTest;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The job jar on a real standalone Flink cluster: a JobManager and two TaskManagers of one slot each, separate
 * {@code java} processes, the job submitted with Flink's CLI at parallelism 2 over three short clips and a broken file.
 * Mid-job one TaskManager is killed with SIGKILL and started again once the JobManager has noticed. The job must
 * finish, every video whole (ffprobe counts the input's frames in it), every frame recorded exactly once (in the record
 * files, and in a Kafka topic in the second case), the broken input reported, and no hidden file left behind.
 */
@ClusterTest
@ModelTest
@SystemTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskManagerLossTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;
    private static StandaloneCluster cluster;
    private static KafkaBroker kafka;
    private static final Map<String, Long> FRAMES = new LinkedHashMap<>();
    private static List<String> inputs;
    private static String broken;
    private static Path config;

    @BeforeAll
    static void startCluster() throws Exception {
        Path target = Path.of(System.getProperty("segment.flinkTarget", "../flink/target"))
                .toAbsolutePath()
                .normalize();
        Path jobJar = target.resolve("segment-flink-job.jar");
        assertTrue(Files.isRegularFile(jobJar), "build the job jar first (mvn -pl flink -am package): " + jobJar);
        work = Files.createDirectories(Path.of(
                        "target",
                        "cluster-test",
                        "run-" + Instant.now().toString().replace(':', '-')))
                .toAbsolutePath();
        Path clips = Files.createDirectories(work.resolve("clips"));
        Path videos = Shared.dir().resolve("data/videos");
        // Long enough that the kill lands mid-job, short enough for a few minutes on 2 cores.
        Ffmpeg.clip(videos.resolve("intel_car-detection.mp4"), 2.0, 90, 192, 108, clips.resolve("cars.mp4"));
        Ffmpeg.clip(
                videos.resolve("intel_one-by-one-person-detection.mp4"),
                7.0,
                90,
                192,
                108,
                clips.resolve("people.mp4"));
        Ffmpeg.clip(videos.resolve("intel_bottle-detection.mp4"), 1.0, 60, 160, 120, clips.resolve("bottle.mp4"));
        Path brokenFile = Files.writeString(clips.resolve("broken.mp4"), "this is not a video\n");
        for (String name : List.of("cars.mp4", "people.mp4", "bottle.mp4")) {
            FRAMES.put(clips.resolve(name).toString(), Ffmpeg.countFrames(clips.resolve(name)));
        }
        broken = brokenFile.toString();
        inputs = new ArrayList<>(FRAMES.keySet());
        inputs.add(broken); // last: both workers start with a video, so the kill lands in one
        config = Files.writeString(work.resolve("segment.yaml"), """
                inference:
                  threads: 1
                keyframes:
                  mode: all
                """);

        String flinkJars = Files.readString(Path.of(System.getProperty("segment.clusterClasspath")))
                .trim();
        cluster = new StandaloneCluster(work.resolve("flink"), flinkJars, target.resolve("flink-lib"), 2);
        cluster.startJobManager();
        cluster.await("the JobManager's REST API", 120, cluster::taskManagerCount, n -> n >= 0);
        cluster.startTaskManager(0);
        cluster.startTaskManager(1);
        cluster.await("two TaskManagers registered", 120, cluster::taskManagerCount, n -> n == 2);

        String brokerJars = Files.readString(Path.of(System.getProperty("segment.brokerClasspath")))
                .trim();
        kafka = KafkaBroker.start(Files.createDirectories(work.resolve("kafka")), brokerJars);
    }

    @AfterAll
    static void stopEverything() {
        Processes.stopAll();
    }

    @Test
    @Order(1)
    void aKilledTaskManagerCostsRestartsNotTheJobAndRecordFilesHoldEveryFrameOnce() throws Exception {
        Path out = work.resolve("out-files");
        String client = runKillingATaskManager(out, List.of(), "files", () -> recordFiles(out));

        Map<String, List<JsonNode>> byInput = byInput(recordFiles(out));
        assertEveryInput(byInput, out);
        assertTrue(client.contains(broken + ": FAILED"), "the client names the broken input:\n" + client);
        assertNoHiddenFiles(out);
    }

    @Test
    @Order(2)
    void recordsGoToKafkaExactlyOnceAcrossTheSameKill() throws Exception {
        String topic = "segment-records";
        kafka.createTopic(topic, 2);
        Path out = work.resolve("out-kafka");
        runKillingATaskManager(
                out,
                List.of("--records", "kafka://" + kafka.bootstrap() + "/" + topic),
                "kafka",
                () -> parse(kafka.readCommitted(topic)));

        assertEveryInput(byInput(parse(kafka.readCommitted(topic))), out);
        assertNoHiddenFiles(out);
    }

    /** What the job has committed so far. */
    interface Committed {
        List<JsonNode> read() throws Exception;
    }

    /**
     * Submits the job, kills TaskManager 1 once both workers are in the middle of a video with frames of it
     * committed (so the lost worker's video must be converted again and its committed frames not recorded twice),
     * starts it again when the JobManager has noticed the loss, and waits for the client: the job must finish
     * (client exit code 0) after at least one recovery. Returns the client's output.
     */
    private static String runKillingATaskManager(Path out, List<String> extra, String name, Committed committed)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-p",
                "2",
                "-c",
                "dev.segment.flink.SegmentJobMain",
                Path.of(System.getProperty("segment.flinkTarget", "../flink/target"))
                        .toAbsolutePath()
                        .normalize()
                        .resolve("segment-flink-job.jar")
                        .toString(),
                "--inputs",
                String.join(",", inputs),
                "--model",
                Shared.model().toString(),
                "--output-dir",
                out.toString(),
                "--config",
                config.toString()));
        args.addAll(extra);
        long removedBefore = cluster.taskManagerLogLines("left by an earlier attempt");
        Path clientLog = cluster.logs.resolve("client-" + name + ".out");
        Process client = cluster.submit(args, clientLog);
        try {
            String job = cluster.await("the job to be submitted", 180, cluster::jobIdOfRunning, id -> id != null);
            cluster.await(
                    "both workers mid-video with 10 frames committed",
                    300,
                    () -> midVideo(committed),
                    frames -> frames.size() == 2 && frames.values().stream().allMatch(n -> n >= 10));
            assertEquals("RUNNING", cluster.jobState(job), "the job runs when the TaskManager is killed");
            assertEquals(
                    2000,
                    cluster.rest("/jobs/" + job + "/checkpoints/config")
                            .path("interval")
                            .asLong(),
                    "the job keeps the cluster's checkpoint interval (execution.checkpointing.interval: 2s)");
            String restarts = cluster.rest("/jobs/" + job + "/config")
                    .path("execution-config")
                    .path("restart-strategy")
                    .asText();
            assertTrue(restarts.contains("exponential delay"), "the cluster's restart strategy: " + restarts);

            cluster.killTaskManager(1);
            long killed = System.nanoTime();
            List<String> temporary;
            try (Stream<Path> files = Files.list(out)) {
                temporary = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".inprogress.mp4"))
                        .toList();
            }
            assertFalse(temporary.isEmpty(), "the killed worker's temporary video is there");
            cluster.await(
                    "the JobManager to notice the lost TaskManager",
                    120,
                    () -> cluster.taskManagerCount() + "/" + cluster.jobState(job),
                    s -> s.startsWith("1/") || !s.endsWith("/RUNNING"));
            // -Dsegment.clusterTest.awaySeconds=S keeps the TaskManager away for S seconds (a scenario, not a wait)
            long away = TimeUnit.SECONDS.toNanos(Long.getLong("segment.clusterTest.awaySeconds", 0));
            while (System.nanoTime() - killed < away) {
                Thread.sleep(500);
            }
            cluster.startTaskManager(1);

            if (!client.waitFor(6, TimeUnit.MINUTES)) {
                throw new AssertionError("the job did not end in 6 minutes\n" + cluster.logTails());
            }
            String output = Files.readString(clientLog, StandardCharsets.UTF_8);
            assertEquals(0, client.exitValue(), "flink run exit code; output:\n" + output + "\n" + cluster.logTails());
            assertEquals("FINISHED", cluster.jobState(job));
            List<String> failures = cluster.failures(job);
            assertFalse(failures.isEmpty(), "the job recovered from the lost TaskManager");
            assertTrue(
                    cluster.taskManagerLogLines("left by an earlier attempt") > removedBefore,
                    "the restarted worker removed the killed one's temporary video");
            // the next case needs both TaskManagers again
            cluster.await("two TaskManagers registered", 120, cluster::taskManagerCount, n -> n == 2);
            System.out.println("[" + name + "] recovered from: " + failures);
            return output;
        } finally {
            if (client.isAlive()) { // a failed case: the next one needs the cluster to itself
                Processes.kill(client);
                cluster.cancelRunningJobs();
            }
        }
    }

    /** Frames committed per worker of the inputs it has not finished; empty when the records cannot be read yet. */
    private static Map<Integer, Long> midVideo(Committed committed) {
        List<JsonNode> records;
        try {
            records = committed.read();
        } catch (Exception e) {
            return Map.of();
        }
        Map<String, List<JsonNode>> byInput = byInput(records);
        Map<Integer, Long> frames = new TreeMap<>();
        byInput.forEach((input, list) -> {
            if (list.stream().allMatch(r -> r.path("kind").asText().equals("frame"))) {
                list.forEach(r -> frames.merge(r.path("worker").asInt(), 1L, Long::sum));
            }
        });
        return frames;
    }

    private static List<JsonNode> parse(List<String> values) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String value : values) {
            records.add(JSON.readTree(value));
        }
        return records;
    }

    /** Every good input whole and recorded once, the broken one failed with no video. */
    private static void assertEveryInput(Map<String, List<JsonNode>> byInput, Path out) throws Exception {
        for (Map.Entry<String, Long> e : FRAMES.entrySet()) {
            String input = e.getKey();
            long expected = e.getValue();
            List<JsonNode> mine = byInput.getOrDefault(input, List.of());
            List<Long> frames = mine.stream()
                    .filter(r -> r.path("kind").asText().equals("frame"))
                    .map(r -> r.path("stats").path("frame").asLong(-1))
                    .sorted()
                    .toList();
            List<Long> wanted = new ArrayList<>();
            for (long i = 0; i < expected; i++) {
                wanted.add(i);
            }
            assertEquals(wanted, frames, input + ": one record per frame, none twice");
            List<JsonNode> ends = mine.stream()
                    .filter(r -> !r.path("kind").asText().equals("frame"))
                    .toList();
            assertEquals(1, ends.size(), input + ": one end record " + ends);
            assertEquals("complete", ends.get(0).path("kind").asText(), input + ": " + ends.get(0));
            assertEquals(expected, ends.get(0).path("frames").asLong());
            Path video = Path.of(ends.get(0).path("output").asText());
            assertEquals(out, video.getParent());
            assertEquals(expected, Ffmpeg.countFrames(video), video + ": frame count of the output");
        }
        List<JsonNode> brokenRecords = byInput.getOrDefault(broken, List.of());
        assertEquals(1, brokenRecords.size(), "one record for the broken input: " + brokenRecords);
        assertEquals("failed", brokenRecords.get(0).path("kind").asText());
        assertNotEquals("", brokenRecords.get(0).path("error").asText(""));
        assertFalse(Files.exists(out.resolve("broken.mp4")), "no video for the broken input");
    }

    private static Map<String, List<JsonNode>> byInput(List<JsonNode> records) {
        Map<String, List<JsonNode>> by = new TreeMap<>();
        records.forEach(r -> by.computeIfAbsent(r.path("input").asText(), k -> new ArrayList<>())
                .add(r));
        return by;
    }

    /** The committed record files (visible names) of the output directory. */
    private static List<JsonNode> recordFiles(Path out) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        if (!Files.isDirectory(out.resolve("records"))) {
            return records;
        }
        try (Stream<Path> files = Files.list(out.resolve("records"))) {
            for (Path part : files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(part)) {
                    if (!line.isBlank()) {
                        records.add(JSON.readTree(line));
                    }
                }
            }
        }
        return records;
    }

    /** Nothing under a hidden name anywhere in the output: no temporary video, no in-progress record file. */
    private static void assertNoHiddenFiles(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            List<String> hidden = files.filter(p -> p.getFileName().toString().startsWith("."))
                    .map(p -> out.relativize(p).toString())
                    .toList();
            assertEquals(List.of(), hidden, "hidden files left in " + out);
        }
    }
}

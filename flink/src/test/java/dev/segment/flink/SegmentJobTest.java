package dev.segment.flink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.testing.ClusterTest;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on Flink's MiniCluster with one task manager of 2 slots, over short real clips: every output complete
 * (ffprobe counts the input's frames in it), one record per frame with none twice, records from both workers, a
 * broken input reported without failing the others, and a worker that fails mid-file restarted by Flink.
 */
@ClusterTest
@ModelTest
@SystemTest
class SegmentJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    /** Failures the hook of {@link #aWorkerThatDiesMidFileIsRestartedAndNoFrameIsRecordedTwice} has thrown. */
    static final AtomicInteger INJECTED = new AtomicInteger();

    /**
     * The model on every frame unless {@code -Dsegment.flink.keyframes=auto}: the engine's keyframe path crashed in
     * OpenCV's DIS flow with several pipelines in one JVM (an uninitialised initial flow, zeroed on main since).
     */
    private static final String KEYFRAMES = System.getProperty("segment.flink.keyframes", "all");

    @TempDir
    static Path clipsDir;

    static Path people;
    static Path cars;
    static Path bottle;
    static Path broken;
    static Map<Path, Long> inputFrames = new HashMap<>();

    @BeforeAll
    static void cutClips() throws Exception {
        people = Ffmpeg.clip(
                Shared.video("intel_one-by-one-person-detection.mp4"),
                7.0,
                24,
                192,
                108,
                clipsDir.resolve("people.mp4"));
        cars = Ffmpeg.clip(Shared.video("intel_car-detection.mp4"), 2.0, 20, 192, 108, clipsDir.resolve("cars.mp4"));
        bottle = Ffmpeg.clip(
                Shared.video("intel_bottle-detection.mp4"), 1.0, 16, 160, 120, clipsDir.resolve("bottle.mp4"));
        broken = Files.writeString(clipsDir.resolve("broken.mp4"), "this is not a video\n");
        for (Path clip : List.of(people, cars, bottle)) {
            inputFrames.put(clip, Ffmpeg.countFrames(clip));
        }
    }

    private static JobSettings settings(Path out) throws Exception {
        return JobSettings.of(
                        null,
                        Map.of(
                                "model.path",
                                Shared.model().toString(),
                                "inference.threads",
                                "1",
                                "keyframes.mode",
                                KEYFRAMES),
                        out)
                .withCheckpointInterval(Duration.ofMillis(300))
                .withWindow(Duration.ofSeconds(1));
    }

    private static List<FrameRecord> run(List<Path> inputs, JobSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SegmentJob.configure(env, settings, 2);
        String runId = SegmentJob.newRunId();
        SegmentJob.build(env, inputs.stream().map(Path::toString).toList(), settings, runId);
        env.execute("segment test");
        return JobReport.records(settings.outputDir(), runId);
    }

    @Test
    void everyClipIsConvertedWholeOnceByBothWorkersAndTheBrokenOneIsReported(@TempDir Path out) throws Exception {
        List<FrameRecord> records = run(List.of(people, broken, cars, bottle), settings(out));

        for (Path clip : List.of(people, cars, bottle)) {
            assertConvertedWholeOnce(records, clip, out);
        }
        Set<Integer> workers = records.stream()
                .filter(FrameRecord::describesFrame)
                .map(r -> r.worker)
                .collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), workers, "frame records come from both workers");

        List<FrameRecord> brokenRecords = recordsOf(records, broken);
        assertEquals(1, brokenRecords.size(), "one record for the broken input: " + brokenRecords);
        FrameRecord failed = brokenRecords.get(0);
        assertEquals(FrameRecord.KIND_FAILED, failed.kind);
        assertNotNull(failed.error);
        assertFalse(Files.exists(out.resolve("broken.mp4")), "no video for the broken input");
        assertNoTemporaryVideos(out);
        assertOccupancyCoversEveryFrame(out);
    }

    @Test
    void aWorkerThatDiesMidFileIsRestartedAndNoFrameIsRecordedTwice(@TempDir Path out) throws Exception {
        INJECTED.set(0);
        String victim = people.toString();
        FrameHook failOnce = r -> {
            if (r.input.equals(victim)
                    && r.describesFrame()
                    && r.stats.frame() == 15
                    && INJECTED.getAndIncrement() == 0) {
                throw new IllegalStateException("injected failure after frame 15 of " + r.input);
            }
        };
        List<FrameRecord> records =
                run(List.of(people, cars, bottle), settings(out).withHook(failOnce));

        assertTrue(INJECTED.get() >= 1, "the failure was injected");
        for (Path clip : List.of(people, cars, bottle)) {
            assertConvertedWholeOnce(records, clip, out);
        }
        assertNoTemporaryVideos(out);
    }

    @Test
    void aCameraStreamsUntilTheJobIsCancelledAndItsRecordingIsKept(@TempDir Path out) throws Exception {
        String camera = "lavfi:testsrc=size=160x120:rate=10";
        JobSettings settings = settings(out);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SegmentJob.configure(env, settings, 2);
        String runId = SegmentJob.newRunId();
        SegmentJob.build(env, List.of(bottle.toString(), camera), settings, runId);
        JobClient job = env.executeAsync("segment camera test");
        // the file converted and 20 camera frames recorded (the camera delivers 10 frames a second)
        await("the file's end record and 20 camera frames")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<FrameRecord> sofar = JobReport.records(out, runId);
                    return sofar.stream()
                                            .filter(r -> r.input.equals(camera) && r.describesFrame())
                                            .count()
                                    >= 20
                            && sofar.stream().anyMatch(r -> r.input.equals(bottle.toString()) && !r.describesFrame());
                });
        job.cancel().get();
        await("the cancelled job ends")
                .atMost(Duration.ofMinutes(1))
                .until(() -> job.getJobStatus().get().isGloballyTerminalState());
        List<FrameRecord> records = JobReport.records(out, runId);

        assertConvertedWholeOnce(records, bottle, out);
        List<Long> frames = records.stream()
                .filter(r -> r.input.equals(camera) && r.describesFrame())
                .map(r -> r.stats.frame())
                .sorted()
                .toList();
        assertTrue(frames.size() >= 20, "camera frames recorded: " + frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i), "camera frame records are 0.." + (frames.size() - 1) + " once each");
        }
        List<Path> recordings;
        try (Stream<Path> files = Files.list(out)) {
            recordings = files.filter(p -> p.getFileName().toString().matches("camera-1-\\d{8}-\\d{6}\\.mp4"))
                    .toList();
        }
        assertEquals(1, recordings.size(), "one recording of the camera, kept when the job was cancelled");
        assertTrue(Ffmpeg.countFrames(recordings.get(0)) >= frames.size(), "the recording has the recorded frames");
        assertNoTemporaryVideos(out);
    }

    private static List<FrameRecord> recordsOf(List<FrameRecord> records, Path input) {
        return records.stream().filter(r -> r.input.equals(input.toString())).toList();
    }

    /** Output video with the input's frame count, frame records 0..n-1 once each, one complete record. */
    private static void assertConvertedWholeOnce(List<FrameRecord> records, Path clip, Path out) throws Exception {
        long expected = inputFrames.get(clip);
        List<FrameRecord> mine = recordsOf(records, clip);
        List<Long> frames = mine.stream()
                .filter(FrameRecord::describesFrame)
                .map(r -> r.stats.frame())
                .sorted()
                .toList();
        List<Long> wanted = new ArrayList<>();
        for (long i = 0; i < expected; i++) {
            wanted.add(i);
        }
        assertEquals(wanted, frames, clip + ": one record per frame, none twice");
        List<FrameRecord> ends = mine.stream().filter(r -> !r.describesFrame()).toList();
        assertEquals(1, ends.size(), clip + ": one end record " + ends);
        assertEquals(FrameRecord.KIND_COMPLETE, ends.get(0).kind, clip + ": " + ends.get(0));
        assertEquals(expected, ends.get(0).frames);
        Path video = Path.of(ends.get(0).output);
        assertEquals(out.resolve(clip.getFileName().toString()), video);
        assertEquals(expected, Ffmpeg.countFrames(video), video + ": frame count of the output");
        for (FrameRecord r : mine) {
            if (r.describesFrame()) {
                double sum = r.stats.fractions().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum();
                // six decimals each, as in the statistics files
                assertEquals(1.0, sum, r.stats.fractions().size() * 0.5e-6, "class fractions of " + r + " sum to 1");
                assertTrue(r.stats.ms().get("infer") >= 0, r.toString());
            }
        }
    }

    private static void assertNoTemporaryVideos(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<String> temp = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".inprogress"))
                    .toList();
            assertEquals(List.of(), temp, "no temporary video left");
        }
    }

    /** Every good input's frames are counted once over its occupancy windows. */
    private static void assertOccupancyCoversEveryFrame(Path out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Long> counted = new HashMap<>();
        Set<String> tops = new TreeSet<>();
        try (Stream<Path> files = Files.list(out.resolve(SegmentJob.OCCUPANCY_DIR))) {
            for (Path part : files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(part)) {
                    Occupancy o = mapper.readValue(line, Occupancy.class);
                    counted.merge(o.input, o.frames, Long::sum);
                    assertEquals(1_000_000, o.windowEndMicros - o.windowStartMicros);
                    tops.add(o.topClass);
                }
            }
        }
        Map<String, Long> expected = new HashMap<>();
        inputFrames.forEach((clip, n) -> expected.put(clip.toString(), n));
        assertEquals(expected, counted, "occupancy windows count every frame once");
        assertFalse(tops.isEmpty());
    }
}

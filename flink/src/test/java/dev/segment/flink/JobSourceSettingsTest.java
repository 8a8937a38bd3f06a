package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.ClusterTest;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Ports;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration's {@code source.*} settings reach the job's inputs as they reach {@code segment stream}'s: a
 * file starts at {@code source.startFrame}, a camera that cannot be reached fails at once with
 * {@code source.reconnect.maxAttempts: 0} (the built-in policy retries forever, so without the setting the job would
 * never end), and a camera's recording ends after {@code source.durationSeconds}, which lets the job finish.
 */
@ClusterTest
@ModelTest
@SystemTest
class JobSourceSettingsTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(3)
                    .build());

    @Test
    void sourceSettingsReachTheWorkers(@TempDir Path clips, @TempDir Path out) throws Exception {
        Path cars = Ffmpeg.clip(Shared.video("intel_car-detection.mp4"), 2.0, 20, 192, 108, clips.resolve("cars.mp4"));
        long carFrames = Ffmpeg.countFrames(cars);
        String unreachable = "rtsp://127.0.0.1:" + Ports.closed() + "/nobody";
        String camera = "lavfi:testsrc=size=160x120:rate=10";
        JobSettings settings = JobSettings.of(
                        null,
                        Map.of(
                                "model.path",
                                Shared.model().toString(),
                                "inference.threads",
                                "1",
                                "keyframes.mode",
                                "all",
                                "source.startFrame",
                                "5",
                                "source.durationSeconds",
                                "3",
                                "source.reconnect.maxAttempts",
                                "0",
                                "source.openTimeoutMs",
                                "2000"),
                        out)
                .withCheckpointInterval(Duration.ofMillis(300));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        SegmentJob.configure(env, settings, Restarts.fixedDelay(0));
        String runId = SegmentJob.newRunId();
        SegmentJob.build(env, List.of(cars.toString(), unreachable, camera), settings, runId);
        JobClient job = env.executeAsync("source settings");
        try {
            // a guard against a hang (the settings not reaching the workers), not a timing assertion
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        JobReport report = JobReport.read(out, runId, List.of(cars.toString(), unreachable, camera), 0, false);

        FrameRecord carsEnd = report.outcomes().get(cars.toString());
        assertEquals(FrameRecord.KIND_COMPLETE, kindOf(carsEnd), show(carsEnd));
        assertEquals(carFrames - 5, carsEnd.frames, "the file was read from source.startFrame");
        assertEquals(carFrames - 5, Ffmpeg.countFrames(out.resolve("cars.mp4")));

        FrameRecord lost = report.outcomes().get(unreachable);
        assertEquals(FrameRecord.KIND_FAILED, kindOf(lost), "no reconnect attempts: " + show(lost));

        FrameRecord cam = report.outcomes().get(camera);
        assertEquals(
                FrameRecord.KIND_COMPLETE, kindOf(cam), "the recording ended at source.durationSeconds: " + show(cam));
        assertTrue(cam.frames > 0, "the camera recorded frames: " + show(cam));
        assertTrue(Files.exists(Path.of(cam.output)), "recording kept: " + cam.output);
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no hidden leftovers");
        }
    }

    private static String kindOf(FrameRecord r) {
        return r == null ? null : r.kind;
    }

    private static String show(FrameRecord r) {
        return r == null ? "no end record" : r.toString();
    }
}

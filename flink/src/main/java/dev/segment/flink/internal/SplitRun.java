package dev.segment.flink.internal;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.live.LiveOptions;
import dev.segment.codecs.live.SourceListener;
import dev.segment.codecs.live.SourceSpec;
import dev.segment.codecs.live.Sources;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.DurationLimit;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.app.SourceSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import dev.segment.flink.FrameRecord;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's pipeline over one split on a thread of its own and hands one {@link FrameRecord} per output
 * frame to the reader through a bounded queue (the pipeline's output stage waits while the queue is full, so a slow
 * downstream slows the conversion instead of filling memory), then one last record: complete or failed.
 *
 * <p>The video is written to a hidden temporary name in the output directory
 * ({@code .NAME.RUN-SPLIT.UUID.inprogress.mp4}) and moved to its final name only when the input has been converted
 * whole; a failed, cancelled or killed run never leaves a partial video under the final name. A run removes the
 * temporary videos that earlier attempts at its split left behind (a killed task manager cannot delete its own).
 *
 * <p>Inputs are opened with the configuration's {@code source.*} settings as {@link SourceSettings} maps them (the
 * mapping {@code segment stream} uses); a live input's recording ends after {@code source.durationSeconds}.
 */
final class SplitRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SplitRun.class);
    private static final List<String> CLASS_NAMES = Pipelines.classNames();

    private final StreamSplit split;
    private final SegmentConfig config;
    private final DeepLabModel model;
    private final Path outputDir;
    private final int worker;
    private final BlockingQueue<FrameRecord> queue;
    private final Runnable wake;
    private final Path finalPath;
    private final Path tempPath;
    /** Start of the temporary names of this split's videos, in every attempt of this job run. */
    private final String tempPrefix;

    private final String tempSuffix;
    /** The input as records and logs name it: camera URLs without their credentials. */
    private final String shown;

    private volatile boolean cancelled;
    private volatile Pipeline pipeline;

    SplitRun(
            StreamSplit split,
            SegmentConfig config,
            DeepLabModel model,
            Path outputDir,
            String runId,
            int worker,
            BlockingQueue<FrameRecord> queue,
            Runnable wake) {
        this.split = split;
        this.config = config;
        this.model = model;
        this.outputDir = outputDir;
        this.worker = worker;
        this.queue = queue;
        this.wake = wake;
        this.finalPath = outputDir.resolve(split.live() ? recordingName(split.outputName()) : split.outputName());
        this.shown = shownName(split);
        this.tempPrefix = tempPrefix(split, runId);
        String name = split.outputName();
        this.tempSuffix = ".inprogress" + name.substring(name.lastIndexOf('.'));
        this.tempPath = outputDir.resolve(tempPrefix + UUID.randomUUID() + tempSuffix);
    }

    @Override
    public void run() {
        try {
            convert();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteTemp();
        } catch (RuntimeException | Error e) {
            deleteTemp();
            fail(describe(e), e);
        }
    }

    /** {@code .STEM.RUN-SPLIT.}: the temporary videos of {@code split} in job run {@code runId} start with it. */
    static String tempPrefix(StreamSplit split, String runId) {
        String name = split.outputName();
        return "." + name.substring(0, name.lastIndexOf('.')) + "." + runId + "-" + split.id() + ".";
    }

    private void convert() throws InterruptedException {
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            fail("cannot create the output directory " + outputDir + ": " + describe(e), e);
            return;
        }
        removeEarlierAttempts();
        VideoFileSink sink = new VideoFileSink(tempPath, OutputSettings.video(config));
        Pipeline p;
        try {
            p = Pipelines.builder(config, model, source(), java.util.List.of(sink))
                    .listener(new Emitter())
                    .name("segment-w" + worker)
                    .start();
        } catch (IOException | RuntimeException e) {
            deleteTemp();
            fail(describe(e), e);
            return;
        }
        pipeline = p;
        if (cancelled) {
            p.stop();
        }
        double limit = config.source().durationSeconds();
        PipelineSummary summary;
        boolean limited = split.live() && limit > 0;
        try (DurationLimit deadline = limited ? DurationLimit.start(System.nanoTime(), limit, p::stop) : null) {
            summary = p.await();
        }
        if (split.live()) {
            endRecording(summary);
            return;
        }
        if (cancelled) {
            deleteTemp();
            return;
        }
        if (summary.failure() != null) {
            deleteTemp();
            fail("failed after " + summary.framesOut() + " frames: " + describe(summary.failure()), summary.failure());
            return;
        }
        if (summary.framesOut() == 0) {
            deleteTemp();
            fail("no frame could be decoded", null);
            return;
        }
        try {
            moveIntoPlace();
        } catch (IOException e) {
            deleteTemp();
            fail("cannot move the finished video to " + finalPath + ": " + describe(e), e);
            return;
        }
        LOG.info("worker {}: {} converted whole, {} frames in {}", worker, shown, summary.framesOut(), finalPath);
        put(FrameRecord.complete(shown, finalPath.toString(), summary.framesOut(), worker));
    }

    /**
     * A camera's recording ends when the job stops, the worker is restarted or the camera is lost for good: what was
     * recorded is finalized by the pipeline and kept under the name with this run's start time (a restarted worker
     * starts a new recording). A lost camera gets a failed record.
     */
    private void endRecording(PipelineSummary summary) throws InterruptedException {
        String kept = null;
        if (summary.framesOut() > 0) {
            try {
                moveIntoPlace();
                kept = finalPath.toString();
                LOG.info(
                        "worker {}: recording of {} ended, {} frames in {}",
                        worker,
                        shown,
                        summary.framesOut(),
                        finalPath);
            } catch (IOException e) {
                LOG.error(
                        "worker {}: cannot move the recording of {} to {}: {}", worker, shown, finalPath, describe(e));
            }
        } else {
            deleteTemp();
        }
        if (cancelled) {
            return;
        }
        if (summary.failure() != null) {
            fail(
                    "lost after " + summary.framesOut() + " frames: " + describe(summary.failure())
                            + (kept == null ? "" : " (recorded frames kept in " + kept + ")"),
                    summary.failure());
        } else {
            put(FrameRecord.complete(shown, kept, summary.framesOut(), worker));
        }
    }

    /** NAME-YYYYMMDD-HHMMSS.mp4 (UTC): one file per recording of a camera. */
    private static String recordingName(String outputName) {
        int dot = outputName.lastIndexOf('.');
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        return outputName.substring(0, dot) + "-" + stamp + outputName.substring(dot);
    }

    /**
     * Deletes the temporary videos of earlier attempts at this split (a worker killed with its task manager, or one
     * whose clean-up did not finish). This attempt has not created its own yet.
     */
    private void removeEarlierAttempts() {
        try {
            Leftovers.remove(
                    outputDir,
                    n -> n.startsWith(tempPrefix) && n.endsWith(tempSuffix),
                    n -> LOG.info("worker {}: removed {}, left by an earlier attempt at {}", worker, n, shown));
        } catch (IOException e) {
            // the conversion can go on; the job's end removes what is left (SegmentJob.removeLeftovers)
            LOG.warn(
                    "worker {}: cannot remove earlier attempts' temporary videos of {}: {}",
                    worker,
                    shown,
                    e.toString());
        }
    }

    private FrameSource source() {
        if (split.live()) {
            return Sources.create(split.input(), SourceSettings.liveOptions(config), new SourceListener() {
                @Override
                public void disconnected(String cause) {
                    LOG.warn("worker {}: {} disconnected: {}", worker, shown, cause);
                }
            });
        }
        return new FfmpegSource(split.input(), SourceSettings.fileOptions(config));
    }

    private void moveIntoPlace() throws IOException {
        try {
            Files.move(tempPath, finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tempPath, finalPath, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void fail(String message, Throwable cause) {
        LOG.error("worker {}: {} cannot be converted: {}", worker, shown, message);
        if (cause != null) {
            LOG.debug("worker {}: {} failed", worker, shown, cause);
        }
        try {
            put(FrameRecord.failed(shown, message, worker));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the pipeline (the reader is closing: task cancelled or failed); the temporary video is deleted. */
    void cancel() {
        cancelled = true;
        Pipeline p = pipeline;
        if (p != null) {
            p.stop();
        }
    }

    Path tempPath() {
        return tempPath;
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(tempPath);
        } catch (IOException e) {
            LOG.warn("worker {}: cannot delete the temporary video {}: {}", worker, tempPath, e.toString());
        }
    }

    /** Waits for room in the queue, giving up when the run is cancelled (the reader no longer polls). */
    private void put(FrameRecord record) throws InterruptedException {
        while (!cancelled) {
            if (queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
                wake.run();
                return;
            }
        }
    }

    /** Camera URLs as {@link SourceSpec} redacts them; file paths as given. */
    static String shownName(StreamSplit split) {
        if (!split.live()) {
            return split.input();
        }
        try {
            return SourceSpec.parse(split.input(), LiveOptions.DEFAULT).description();
        } catch (IllegalArgumentException e) {
            return "input " + split.id();
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The pipeline's listener: one record per output frame, from the pipeline's output thread. */
    private final class Emitter implements PipelineListener {
        private final long offset = split.live() ? split.framesEmitted() : 0;

        @Override
        public void onFrame(FrameReport report) {
            try {
                put(FrameRecord.frame(
                        shown, finalPath.toString(), offset + report.index(), report, CLASS_NAMES, worker));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

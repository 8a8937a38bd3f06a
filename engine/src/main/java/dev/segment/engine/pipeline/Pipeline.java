package dev.segment.engine.pipeline;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.Backpressure;
import dev.segment.config.KeyframeConfig;
import dev.segment.config.KeyframeMode;
import dev.segment.engine.FramePainter;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.LabelRefiner;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.keyframes.KeyframePolicy;
import dev.segment.engine.stages.PipelineRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * A running segmentation pipeline: source -> ring of preallocated frame slots -> inference -> CRF -> output -> sinks.
 *
 * <p>Built with {@link #builder()}; {@link Builder#start()} opens the source and the sinks on the calling thread (so
 * a bad input or an unwritable output fails before any thread starts) and then runs one thread per stage plus the
 * source thread. Holds no static state: several pipelines can run in one process (sharing a model through the
 * segmenter factory). {@link #close()} stops the source, drains the ring and finalizes the sinks; it is safe to call
 * twice.
 */
public final class Pipeline implements AutoCloseable {
    private final PipelineRunner runner;
    private final VideoInfo info;
    private boolean closed;

    private Pipeline(PipelineRunner runner, VideoInfo info) {
        this.runner = runner;
        this.info = info;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the source reported when it was opened. */
    public VideoInfo info() {
        return info;
    }

    /** Waits until the source has ended (or the run was stopped or failed) and every sink is finalized. */
    public PipelineSummary await() throws InterruptedException {
        while (true) {
            try {
                return runner.await(1, TimeUnit.DAYS);
            } catch (TimeoutException e) {
                // a day-long run: keep waiting
            }
        }
    }

    /** Like {@link #await()} with a bound; throws {@link TimeoutException} if the run is still going. */
    public PipelineSummary await(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        return runner.await(timeout, unit);
    }

    /**
     * Graceful stop: no new frames are read; frames already in the pipeline are written and the sinks finalized. For
     * live sources the pending read is interrupted by closing the source.
     */
    public void stop() {
        if (info.live()) {
            runner.stopNow();
        } else {
            runner.stop();
        }
    }

    public boolean isDone() {
        return runner.isDone();
    }

    public long framesWritten() {
        return runner.framesOut();
    }

    public long framesDropped() {
        return runner.framesDropped();
    }

    /**
     * The share of the time the model may run now (a live source with keyframes: the process's model budget, which
     * follows what the stream's other stages leave); NaN for a file or with the model on every frame.
     */
    public double modelDuty() {
        return runner.modelDuty();
    }

    /** Frames inside the pipeline right now (ring occupancy). */
    public long framesInFlight() {
        return runner.inFlight();
    }

    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        await();
    }

    /** Assembles a pipeline. Source, at least one sink and a segmenter factory are required. */
    public static final class Builder {
        private FrameSource source;
        private final List<FrameSink> sinks = new ArrayList<>();
        private FrameSegmenter.Factory segmenters;
        private LabelRefiner refiner;
        private FramePainter painter = (rgb, labels, w, h, out) -> out.put(rgb.duplicate());
        private PipelineListener listener = new PipelineListener() {};
        private int ringSize = 16;
        /** 1 GiB, or half of what the JVM may use (direct buffers are capped by -Xmx unless set apart). */
        private long ringMemoryBudget = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 2);

        private Backpressure backpressure = Backpressure.AUTO;
        private int maxInFlight;
        private long maxFrames = -1;
        private int classes = 21;
        private String name = "segment";
        private KeyframeConfig keyframes;

        private Builder() {}

        public Builder source(FrameSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Builder sink(FrameSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        public Builder sinks(List<? extends FrameSink> more) {
            more.forEach(this::sink);
            return this;
        }

        public Builder segmenter(FrameSegmenter.Factory factory) {
            this.segmenters = Objects.requireNonNull(factory, "segmenter factory");
            return this;
        }

        /** The model's segmenters set so far (null for none), e.g. to wrap them. */
        public FrameSegmenter.Factory segmenter() {
            return segmenters;
        }

        /** The CRF stage; null (the default) runs without one and takes labels straight from the model's scores. */
        public Builder refiner(LabelRefiner refiner) {
            this.refiner = refiner;
            return this;
        }

        /** The CRF stage set so far (null for none), e.g. to report its backend before the run. */
        public LabelRefiner refiner() {
            return refiner;
        }

        public Builder painter(FramePainter painter) {
            this.painter = Objects.requireNonNull(painter, "painter");
            return this;
        }

        public Builder listener(PipelineListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder ringSize(int ringSize) {
            if (Integer.bitCount(ringSize) != 1 || ringSize < 2 || ringSize > 1024) {
                throw new IllegalArgumentException("ringSize must be a power of 2 between 2 and 1024, got " + ringSize);
            }
            this.ringSize = ringSize;
            return this;
        }

        /**
         * Most memory the ring's slots may take (default 1 GiB, or half the JVM's maximum memory if less). A slot holds a frame's pixels, overlay and labels
         * (7 bytes a pixel: 14.5 MB at 1080p, 232 MB at 8K), so large frames get fewer slots (never fewer than 2)
         * instead of running out of memory.
         */
        public Builder ringMemoryBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("ringMemoryBudget must be positive, got " + bytes);
            }
            this.ringMemoryBudget = bytes;
            return this;
        }

        int ringSizeFor(int width, int height) {
            long slotBytes = (long) width * height * 7;
            int slots = ringSize;
            while (slots > 2 && slots * slotBytes > ringMemoryBudget) {
                slots /= 2;
            }
            if (slots < ringSize) {
                LoggerFactory.getLogger(Pipeline.class)
                        .debug(
                                "ring of {} slots for {}x{} frames (asked for {}, memory budget {} MB)",
                                slots,
                                width,
                                height,
                                ringSize,
                                ringMemoryBudget >> 20);
            }
            return slots;
        }

        /** {@code AUTO} (the default) picks by source: block for files, drop for live sources. */
        public Builder backpressure(Backpressure backpressure) {
            this.backpressure = java.util.Objects.requireNonNull(backpressure, "backpressure");
            return this;
        }

        /** For the dropping policy: frames allowed inside the pipeline at once (default: one per stage + 1). */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Stop after this many frames (-1: until the source ends). */
        public Builder maxFrames(long maxFrames) {
            if (maxFrames < -1 || maxFrames == 0) {
                throw new IllegalArgumentException("maxFrames must be -1 (all) or at least 1, got " + maxFrames);
            }
            this.maxFrames = maxFrames;
            return this;
        }

        public Builder classes(int classes) {
            if (classes < 1 || classes > 256) {
                throw new IllegalArgumentException("classes must be between 1 and 256, got " + classes);
            }
            this.classes = classes;
            return this;
        }

        /**
         * Keyframe inference: with mode {@code auto} the model runs on keyframes only and the other frames get its
         * scores carried along the motion (see {@link KeyframePolicy}); null or mode {@code all} (the builder's
         * default) runs the model on every frame.
         */
        public Builder keyframes(KeyframeConfig keyframes) {
            this.keyframes = keyframes;
            return this;
        }

        /** Thread-name prefix (useful when several pipelines share a process). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Opens the source and the sinks and starts the threads. If anything fails to open, everything opened so far
         * is closed again and the error is thrown.
         */
        public Pipeline start() throws IOException {
            Objects.requireNonNull(source, "a source is required");
            Objects.requireNonNull(segmenters, "a segmenter factory is required");
            if (sinks.isEmpty()) {
                throw new IllegalStateException("at least one sink is required");
            }
            List<AutoCloseable> opened = new ArrayList<>();
            try {
                VideoInfo info = source.open();
                opened.add(source);
                for (FrameSink sink : sinks) {
                    sink.open(info);
                    opened.add(sink);
                }
                boolean dropWhenFull = switch (backpressure) {
                    case BLOCK -> false;
                    case DROP_OLDEST -> true;
                    case AUTO -> info.live();
                };
                int stages = refiner == null ? 2 : 3;
                int slots = ringSizeFor(info.width(), info.height());
                int inFlight = Math.min(slots, maxInFlight > 0 ? maxInFlight : stages + 1);
                listener.onStart(info);
                PipelineRunner runner = PipelineRunner.builder()
                        .info(info)
                        .source(source)
                        .sinks(sinks)
                        .segmenters(segmenters)
                        .refiner(refiner)
                        .painter(painter)
                        .listener(listener)
                        .ringSize(slots)
                        .dropWhenFull(dropWhenFull)
                        .maxInFlight(inFlight)
                        .maxFrames(maxFrames)
                        .classes(classes)
                        .name(name)
                        .keyframes(keyframes != null && keyframes.mode() == KeyframeMode.AUTO ? keyframes : null)
                        .start();
                return new Pipeline(runner, info);
            } catch (IOException | RuntimeException | Error e) {
                // Errors too (out of memory while preallocating slots): close what was opened, so outputs are finalized
                for (int i = opened.size() - 1; i >= 0; i--) {
                    try {
                        opened.get(i).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                if (refiner != null) {
                    refiner.close();
                }
                throw e;
            }
        }
    }
}

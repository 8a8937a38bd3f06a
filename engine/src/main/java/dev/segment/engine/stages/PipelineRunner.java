package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.KeyframeConfig;
import dev.segment.engine.FramePainter;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.LabelRefiner;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.PipelineSummary.StageStats;
import dev.segment.engine.keyframes.FrameBudget;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires one run: the Disruptor ring of preallocated slots, the stage handlers (inference, CRF, output), and the
 * source thread with its {@link FrameMailbox} in front of the ring. Each stage runs on its own thread, so decode, inference, CRF and encode of different frames
 * overlap; the slowest stage sets the pace.
 */
public final class PipelineRunner {
    private final RunState state = new RunState();
    private final Disruptor<FrameSlot> disruptor;
    private final InferenceHandler inference;
    private final KeyframeState keyframes;
    private final CrfHandler crf;
    private final OutputHandler output;
    private final Thread sourceThread;
    private final ModelScheduler scheduler; // null unless the model runs beside a live stream
    private final FrameSource source;
    private final PipelineListener listener;
    private final long startNanos = System.nanoTime();
    private final long startCpuNanos = ThreadCpu.process();
    private volatile PipelineSummary summary;

    // How a stage waits for the one before it. BlockingWaitStrategy blocks only while waiting for the source: a
    // stage waiting for an upstream *stage* busy-spins, so with the CRF on, the CRF and output threads each burned a
    // core while inference ran (on 2 cores, inference took 246 ms instead of 144). Sleeping: 100 spins, 100 yields,
    // then sleeps of 1 ms (at most that much added latency per hop, against frames of tens of milliseconds). Sleeps of
    // 100 us woke each idle stage thousands of times a second: on 2 cores, 1 ms took 5-10% of the CPU off a file's
    // conversion in keyframe mode (its system time 2.8-3.0 CPU-s against 3.9-4.4, farm-bench pairs of the DAVIS clips)
    // and a live camera kept more frames (95.1% against 93.3%, p99 144 against 174 ms, one pair of 30 s runs).
    private static final int WAIT_RETRIES = 200;
    private static final long WAIT_SLEEP_NANOS = 1_000_000;

    /** The parts and settings of a run, each named where the run is made: {@code PipelineRunner.builder()...start()}. */
    public static Builder builder() {
        return new Builder();
    }

    private PipelineRunner(Builder b) {
        if (Integer.bitCount(b.ringSize) != 1 || b.ringSize < 2) {
            throw new IllegalArgumentException("ringSize must be a power of 2 and at least 2, got " + b.ringSize);
        }
        this.source = b.source;
        this.listener = b.listener;
        int w = b.info.width();
        int h = b.info.height();
        // Files in keyframe mode: keyframes are chosen ahead of the model, on a stage of their own (KeyframeChooser).
        boolean chooseAhead = b.keyframes != null && !b.dropWhenFull;
        List<String> stageNames = new ArrayList<>(chooseAhead ? List.of("choose", "carry") : List.of("infer"));
        if (b.refiner != null) {
            stageNames.add("crf");
        }
        stageNames.add("output");
        disruptor = new Disruptor<>(
                () -> new FrameSlot(w, h),
                b.ringSize,
                threads(b.name, stageNames),
                // With dropping, the first stage publishes too: the frame waiting in the mailbox, once it is free.
                b.dropWhenFull ? ProducerType.MULTI : ProducerType.SINGLE,
                new SleepingWaitStrategy(WAIT_RETRIES, WAIT_SLEEP_NANOS));
        disruptor.setDefaultExceptionHandler(new FailRun());
        FrameMailbox mailbox = new FrameMailbox(
                disruptor.getRingBuffer(), state, b.listener, b.dropWhenFull, b.maxInFlight, b.maxFrames, w, h);
        EventHandler<FrameSlot> first;
        EventHandler<FrameSlot> carrier = null;
        if (b.keyframes == null) {
            inference = new InferenceHandler(b.segmenters, b.refiner == null, state);
            keyframes = null;
            scheduler = null;
            first = inference;
        } else {
            inference = null;
            keyframes = new KeyframeState(b.keyframes, b.refiner == null, state);
            // Files: each frame waits for its keyframe's model run, so the same input gives the same output. Live
            // sources (the dropping policy): the model runs beside the stream, which never waits for it except across
            // a restart or a cut.
            if (chooseAhead) {
                scheduler = null;
                first = new KeyframeChooser(
                        b.segmenters, keyframes, new FrameBudget(b.keyframes.budget()), state, b.name);
                carrier = new KeyframeCarrier(keyframes, state);
            } else {
                scheduler = ModelScheduler.process();
                first = new BackgroundKeyframeHandler(
                        b.segmenters, keyframes, scheduler, b.keyframes.liveDuty(), state, b.name);
            }
        }
        if (b.refiner != null && b.info.live()) {
            b.refiner.keepUpWith(b.info.frameRate()); // a live source: the CRF may trade detail for keeping up
        }
        crf = b.refiner == null ? null : new CrfHandler(b.refiner, state);
        output = new OutputHandler(b.sinks, b.painter, b.listener, state, b.classes);
        EventHandlerGroup<FrameSlot> chain =
                disruptor.handleEventsWith(new HandOnEachFrame(first, mailbox::firstStageDone));
        if (carrier != null) {
            chain = chain.then(new HandOnEachFrame(carrier));
        }
        if (crf != null) {
            chain = chain.then(new HandOnEachFrame(crf));
        }
        chain.then(new HandOnEachFrame(output));
        disruptor.start();
        sourceThread = new Thread(new SourceLoop(b.source, mailbox, state, b.maxFrames, w, h), b.name + "-source");
        sourceThread.setDaemon(true);
        sourceThread.start();
    }

    /** Asks the source to stop; frames already in the ring are still written, then the sinks are finalized. */
    public void stop() {
        state.requestStop();
    }

    /** Asks the source to stop and closes it, to unblock a read waiting on a live stream. */
    public void stopNow() {
        state.requestStop();
        try {
            source.close();
        } catch (Exception e) {
            // the source loop reports read errors; a close error after stop is not the run's failure
        }
    }

    /** Waits for the end of the run (the sinks are closed by then) and returns its summary. */
    public PipelineSummary await(long timeout, TimeUnit unit)
            throws java.util.concurrent.TimeoutException, InterruptedException {
        try {
            state.drained.get(timeout, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("drained future never fails", e);
        }
        return finish();
    }

    public boolean isDone() {
        return state.drained.isDone();
    }

    public long framesOut() {
        return state.framesOut.get();
    }

    public long framesDropped() {
        return state.framesDropped.get();
    }

    /** See {@link dev.segment.engine.pipeline.Pipeline#modelDuty()}. */
    public double modelDuty() {
        return scheduler == null ? Double.NaN : scheduler.duty();
    }

    /** Frames published to the ring and not yet written (ring occupancy). */
    public long inFlight() {
        RingBuffer<FrameSlot> ring = disruptor.getRingBuffer();
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    private synchronized PipelineSummary finish() throws InterruptedException {
        if (summary != null) {
            return summary;
        }
        sourceThread.join();
        try {
            disruptor.shutdown(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            disruptor.halt();
            state.fail(new IllegalStateException("pipeline stages did not finish within 30 s after the end of stream"));
        }
        try {
            source.close();
        } catch (Exception e) {
            state.fail(e);
        }
        Map<Stage, StageStats> stages = new EnumMap<>(Stage.class);
        stages.put(Stage.DECODE, output.decodeClock().stats());
        stages.put(
                Stage.INFER,
                inference != null
                        ? inference.clock().stats()
                        : keyframes.inferClock().stats());
        stages.put(
                Stage.PROPAGATE,
                inference != null
                        ? new StageStats(0, 0, 0, 0)
                        : keyframes.propagateClock().stats());
        stages.put(
                Stage.CRF,
                crf == null ? new StageStats(0, 0, 0, 0) : crf.clock().stats());
        stages.put(Stage.ENCODE, output.encodeClock().stats());
        summary = new PipelineSummary(
                state.framesIn.get(),
                state.framesOut.get(),
                state.framesDropped.get(),
                System.nanoTime() - startNanos,
                stages,
                state.stopRequested() && !state.failed(),
                state.failure(),
                state.keyframes.get(),
                startCpuNanos < 0 ? -1 : ThreadCpu.process() - startCpuNanos);
        listener.onFinish(summary);
        return summary;
    }

    private static ThreadFactory threads(String name, List<String> stageNames) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            int i = n.getAndIncrement();
            Thread t = new Thread(r, name + "-" + (i < stageNames.size() ? stageNames.get(i) : "stage" + i));
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * What one run is made of, unchecked: the pipeline's public builder checks the settings and opens the source and
     * the sinks first.
     */
    public static final class Builder {
        private VideoInfo info;
        private FrameSource source;
        private List<FrameSink> sinks;
        private FrameSegmenter.Factory segmenters;
        private LabelRefiner refiner;
        private FramePainter painter;
        private PipelineListener listener;
        private int ringSize;
        private boolean dropWhenFull;
        private int maxInFlight;
        private long maxFrames = -1;
        private int classes;
        private String name;
        private KeyframeConfig keyframes;

        private Builder() {}

        /** The source, already open: what it reported. */
        public Builder info(VideoInfo info) {
            this.info = info;
            return this;
        }

        /** Already open with {@link #info}. */
        public Builder source(FrameSource source) {
            this.source = source;
            return this;
        }

        /** Already open. */
        public Builder sinks(List<FrameSink> sinks) {
            this.sinks = sinks;
            return this;
        }

        public Builder segmenters(FrameSegmenter.Factory segmenters) {
            this.segmenters = segmenters;
            return this;
        }

        /** Null: no CRF stage. */
        public Builder refiner(LabelRefiner refiner) {
            this.refiner = refiner;
            return this;
        }

        public Builder painter(FramePainter painter) {
            this.painter = painter;
            return this;
        }

        public Builder listener(PipelineListener listener) {
            this.listener = listener;
            return this;
        }

        /** Slots in the ring: a power of 2, at least 2. */
        public Builder ringSize(int ringSize) {
            this.ringSize = ringSize;
            return this;
        }

        /** True for live sources: frames that find the pipeline full are dropped instead of waited for. */
        public Builder dropWhenFull(boolean dropWhenFull) {
            this.dropWhenFull = dropWhenFull;
            return this;
        }

        /** With {@link #dropWhenFull}: frames allowed inside the pipeline at once (1 to the ring size). */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Stop after this many frames (-1: until the source ends). */
        public Builder maxFrames(long maxFrames) {
            this.maxFrames = maxFrames;
            return this;
        }

        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        /** Thread-name prefix. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Null: the model runs on every frame; else on keyframes only, with this configuration. */
        public Builder keyframes(KeyframeConfig keyframes) {
            this.keyframes = keyframes;
            return this;
        }

        /** Builds the ring and its stages and starts the threads. */
        public PipelineRunner start() {
            return new PipelineRunner(this);
        }
    }

    /** A stage error ends the run: recorded, and the ring keeps draining so the sinks still get finalized. */
    private final class FailRun implements ExceptionHandler<FrameSlot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, FrameSlot event) {
            state.fail(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            state.fail(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            state.fail(ex);
        }
    }
}

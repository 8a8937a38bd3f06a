package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.codecs.VideoFrame;
import dev.segment.config.KeyframeConfig;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.Flow;
import dev.segment.engine.keyframes.KeyframePolicy;
import dev.segment.engine.keyframes.LumaImage;
import dev.segment.engine.keyframes.Motion;
import dev.segment.engine.keyframes.Propagator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stage 1 with keyframes: the model runs on keyframes only (see {@link KeyframePolicy}); every other frame gets the
 * last keyframe's scores carried along the motion measured from it back to that keyframe (DIS optical flow, then a
 * warp of the score grid), so the stages after it see a score grid for every frame either way.
 *
 * <p>Files ({@code async} false): the model runs here, on the frame that needs it, so the output is the same for the
 * same input. Live sources ({@code async} true): the model runs on its own thread beside the stream; a frame that
 * asks for a keyframe is carried like the others and sends a copy of itself to the model when it is idle, and the
 * result becomes the keyframe that later frames are carried from (the motion is measured to it wherever it is). Only
 * a start, a restart, a new size or a scene cut wait for the model, since nothing valid can be carried across them.
 */
final class KeyframeHandler implements EventHandler<FrameSlot> {
    private final boolean labelsHere;
    private final boolean async;
    private final RunState state;
    private final KeyframePolicy policy;
    private final StageClock inferClock = new StageClock();
    private final StageClock propagateClock = new StageClock();
    private final Propagator propagator;
    /** The motion last measured: from the current frame (or the one adopted as keyframe) back to the keyframe. */
    private final Flow flow = new Flow();

    private LumaImage current = new LumaImage();
    private LumaImage previous = new LumaImage();
    /** The model's share when its scores on a keyframe are fused with the previous keyframe's carried to it. */
    static final float FUSE_WEIGHT = 0.5f;

    private final ScoreGrid keyScores = new ScoreGrid();
    private final ScoreGrid carried = new ScoreGrid();
    private final LumaImage keyLuma = new LumaImage();
    private boolean haveKeyframe;
    private int sinceKeyframe;
    private long index;
    private int width;
    private int height;
    // The model and its segmenter: used by this stage's thread (files) or by the worker only (live).
    private final SizedSegmenter segmenter;
    private final ExecutorService worker;
    private ModelJob pending;
    private ModelJob spare;
    private int generation;

    KeyframeHandler(
            FrameSegmenter.Factory factory,
            boolean labelsHere,
            boolean async,
            KeyframeConfig config,
            RunState state,
            String name) {
        this.segmenter = new SizedSegmenter(factory);
        this.labelsHere = labelsHere;
        this.async = async;
        this.state = state;
        this.policy = new KeyframePolicy(config);
        this.propagator = new Propagator(config);
        this.worker = async
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, name + "-model");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        this.spare = async ? new ModelJob() : null;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        slot.take(); // from here on the source no longer swaps a newer frame into this slot
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long modelNanos = 0;
        int w = slot.input.width();
        int h = slot.input.height();
        boolean sizeChanged = haveKeyframe && (w != width || h != height);
        width = w;
        height = h;
        swapLuma();
        propagator.luma(slot.input, current);
        double cut = previous.isEmpty() || sizeChanged ? 0 : current.histogramDistance(previous);
        if (async) {
            modelNanos += adoptFinishedJob();
        }
        KeyframeReason reason = !Propagator.measurable(current)
                ? KeyframeReason.ALL // too small a picture to measure motion on: the model runs on every frame
                : policy.beforeMotion(haveKeyframe, slot.discontinuity, sizeChanged, cut, sinceKeyframe);
        slot.sceneCut = reason == KeyframeReason.CUT;
        Motion motion = null;
        if (reason == null || (async && reason == KeyframeReason.INTERVAL)) {
            motion = propagator.measure(current, keyLuma, flow);
            KeyframeReason measured = policy.afterMotion(motion);
            if (reason == null) {
                reason = measured;
            }
        }
        slot.reason = reason;
        if (motion != null) { // what the policy measured, also on the keyframe it asked for
            double toFrame = (double) w / current.width();
            slot.motionX = motion.dx() * toFrame;
            slot.motionY = motion.dy() * toFrame;
            slot.residual = motion.residual();
            slot.untrusted = motion.untrusted();
            slot.change = motion.change();
        }
        boolean restartLike = reason == KeyframeReason.START
                || reason == KeyframeReason.RESTART
                || reason == KeyframeReason.SIZE
                || reason == KeyframeReason.CUT
                || reason == KeyframeReason.ALL;
        if (reason.keyframe() && (!async || restartLike)) {
            modelNanos += runModelHere(slot, !restartLike, motion != null);
        } else {
            if (reason.keyframe()) {
                requestModel(slot.input);
            }
            propagator.carry(keyScores, flow, w, h, slot.scores);
            sinceKeyframe++;
        }
        index++;
        if (labelsHere) {
            slot.scores.argmax(w, h, slot.labelsForWrite());
        }
        long total = System.nanoTime() - t0;
        slot.stageNanos[Stage.INFER.ordinal()] = slot.keyframe ? modelNanos : 0;
        slot.stageNanos[Stage.PROPAGATE.ordinal()] = total - (slot.keyframe ? modelNanos : 0);
        propagateClock.record(slot.stageNanos[Stage.PROPAGATE.ordinal()]);
    }

    /**
     * The model on this frame, waited for: the frame becomes the keyframe. Returns the model's time.
     *
     * @param fuse     the scene continues: fuse with the previous keyframe's scores carried here
     * @param measured {@link #flow} already holds the motion from this frame back to the previous keyframe
     */
    private long runModelHere(FrameSlot slot, boolean fuse, boolean measured) throws Exception {
        long nanos;
        if (async) {
            generation++; // a result still on its way belongs to what came before the restart: it is dropped
            waitForPending();
            ModelJob job = spare;
            job.load(slot.input, current, index, generation);
            worker.submit(job).get();
            nanos = job.nanos;
            slot.scores.copyFrom(job.scores);
        } else {
            long t = System.nanoTime();
            segment(slot.input, slot.scores);
            nanos = System.nanoTime() - t;
        }
        adoptKeyframe(slot.scores, current, slot.input.width(), slot.input.height(), fuse, measured);
        sinceKeyframe = 0;
        slot.keyframe = true;
        state.keyframes.incrementAndGet();
        inferClock.record(nanos);
        return nanos;
    }

    /** Live: sends a copy of the frame to the model if it is idle; the result is adopted by a later frame. */
    private void requestModel(VideoFrame frame) {
        if (pending != null) {
            return;
        }
        ModelJob job = spare;
        spare = null;
        job.load(frame, current, index, generation);
        job.future = worker.submit(job);
        pending = job;
    }

    /** Live: a finished model run of this generation becomes the keyframe; returns its model time (0 if none). */
    private long adoptFinishedJob() throws Exception {
        if (pending == null || !pending.future.isDone()) {
            return 0;
        }
        ModelJob job = pending;
        pending = null;
        getResult(job);
        spare = job;
        if (job.generation != generation) {
            return 0;
        }
        adoptKeyframe(job.scores, job.luma, job.frame.width(), job.frame.height(), true, false);
        sinceKeyframe = (int) Math.min(Integer.MAX_VALUE, index - job.index);
        state.keyframes.incrementAndGet();
        inferClock.record(job.nanos);
        return 0; // the model ran beside the stream: its time is not this frame's
    }

    /**
     * Makes the model's scores on a frame the keyframe that later frames are carried from. When the scene continues,
     * the model's scores are first fused with the previous keyframe's carried to this frame (see
     * {@link Propagator#fuse}), so the labels do not jump at each keyframe.
     */
    private void adoptKeyframe(ScoreGrid model, LumaImage luma, int w, int h, boolean fuse, boolean measured) {
        if (fuse && haveKeyframe && keyLuma.width() == luma.width() && keyLuma.height() == luma.height()) {
            if (!measured) {
                propagator.measure(luma, keyLuma, flow);
            }
            propagator.fuse(model, keyScores, flow, w, h, carried, FUSE_WEIGHT);
        }
        keyScores.copyFrom(model);
        keyLuma.copyFrom(luma);
        haveKeyframe = true;
    }

    private void waitForPending() throws Exception {
        if (pending != null) {
            ModelJob job = pending;
            pending = null;
            getResult(job);
            spare = job;
        }
    }

    private static void getResult(ModelJob job) throws Exception {
        try {
            job.future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private void swapLuma() {
        LumaImage t = previous;
        previous = current;
        current = t;
    }

    private void segment(VideoFrame frame, ScoreGrid out) throws Exception {
        segmenter.segment(frame, out);
    }

    StageClock inferClock() {
        return inferClock;
    }

    StageClock propagateClock() {
        return propagateClock;
    }

    @Override
    public void onShutdown() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!worker.isTerminated()) {
                return; // still inside the model: closing its segmenter under it would crash the native side
            }
        }
        segmenter.close();
        propagator.close();
    }

    /** One model run on the worker: a private copy of the frame, its luma, and the scores it produced. */
    private final class ModelJob implements java.util.concurrent.Callable<Void> {
        final VideoFrame frame = new VideoFrame(1, 1);
        final LumaImage luma = new LumaImage();
        final ScoreGrid scores = new ScoreGrid();
        long index;
        int generation;
        long nanos;
        Future<Void> future;

        void load(VideoFrame source, LumaImage sourceLuma, long frameIndex, int gen) {
            frame.resize(source.width(), source.height()).put(source.rgb());
            luma.copyFrom(sourceLuma);
            index = frameIndex;
            generation = gen;
        }

        @Override
        public Void call() throws Exception {
            long t = System.nanoTime();
            segment(frame, scores);
            nanos = System.nanoTime() - t;
            return null;
        }
    }
}

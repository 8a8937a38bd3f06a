package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.codecs.VideoFrame;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.LumaImage;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Stage 1 with keyframes, for live sources: the model runs on its own thread beside the stream. A frame that asks for
 * a keyframe is carried like the others and sends a copy of itself to the model when it is idle, and the result
 * becomes the keyframe that later frames are carried from (the motion is measured to it wherever it is). Only a start,
 * a restart, a new size or a scene cut wait for the model, since nothing valid can be carried across them.
 *
 * <p>The model runs on the process's {@link ModelScheduler}, under its budget. A frame that asks while this stream's
 * run waits (for the budget, or behind a needier stream of the process) takes the waiting run's place, so the model
 * always gets the stream's newest frame that needs it, and the scheduler ranks the streams by that frame's need. The
 * stream reports its dropped frames to the scheduler once a second so that the model's share of the time follows what
 * the other stages leave.
 */
final class BackgroundKeyframeHandler implements EventHandler<FrameSlot> {
    /** Frames' drops are reported to the scheduler once per this much time. */
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final KeyframeState keyframes;
    private final RunState state;
    // The model and its segmenter: used by the scheduler's thread only, one run at a time.
    private final SizedSegmenter segmenter;
    private final ModelScheduler.Client model;
    private ModelJob pending;
    private ModelJob spare = new ModelJob();
    private int generation;
    private long windowStart = System.nanoTime();
    private long droppedBefore;
    private boolean restartInWindow;

    BackgroundKeyframeHandler(
            FrameSegmenter.Factory factory,
            KeyframeState keyframes,
            ModelScheduler scheduler,
            double maxDuty,
            RunState state,
            String name) {
        this.segmenter = new SizedSegmenter(factory);
        this.keyframes = keyframes;
        this.state = state;
        this.model = scheduler.register(name, maxDuty);
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        keyframes.look(slot);
        adoptFinishedJob();
        KeyframeReason reason = keyframes.ask(slot);
        long modelNanos = 0;
        boolean restart = KeyframeState.restartLike(reason);
        if (restart) {
            modelNanos = runModelHere(slot);
        } else {
            if (reason.keyframe()) {
                requestModel(slot.input, keyframes.need());
            }
            keyframes.carry(slot);
        }
        keyframes.chosen(restart);
        // The model's own CPU is on TensorFlow's threads, not this one: this is the propagation's (and the copy of a
        // frame handed to the model).
        keyframes.finish(slot, System.nanoTime() - t0 - modelNanos, ThreadCpu.now() - cpu0, modelNanos);
        reportWindow(t0);
    }

    /**
     * Once a second, tells the scheduler how many frames the stream dropped, so the model's share follows what the
     * other stages leave. A window with a restart is not reported: its frames wait for the model by design.
     */
    private void reportWindow(long now) {
        if (now - windowStart < WINDOW_NANOS) {
            return;
        }
        long dropped = state.framesDropped.get();
        if (!restartInWindow) {
            model.window(dropped - droppedBefore);
        }
        droppedBefore = dropped;
        windowStart = now;
        restartInWindow = false;
    }

    /** The model on this frame, waited for: the frame becomes the keyframe. Returns the model's time. */
    private long runModelHere(FrameSlot slot) throws Exception {
        generation++; // a result still on its way belongs to what came before the restart: it is dropped
        restartInWindow = true;
        if (pending != null && model.withdraw()) {
            spare = pending; // asked for and not started: nothing to wait for
            pending = null;
        }
        adoptPending(true);
        ModelJob job = spare;
        job.load(slot.input, keyframes.luma(), keyframes.index(), generation);
        getResult(model.submit(job, Double.MAX_VALUE, true));
        slot.scores.copyFrom(job.scores);
        keyframes.adoptHere(slot, false, job.nanos, job.cpuNanos); // a restart: nothing to fuse with
        return job.nanos;
    }

    /**
     * Asks the model for this frame (a later frame adopts the result), or puts it in place of the frame whose run is
     * still waiting; a run under way is left alone.
     */
    private void requestModel(VideoFrame frame, double need) {
        if (pending != null) {
            ModelJob waiting = pending;
            model.refresh(need, () -> waiting.load(frame, keyframes.luma(), keyframes.index(), generation));
            return;
        }
        ModelJob job = spare;
        spare = null;
        job.load(frame, keyframes.luma(), keyframes.index(), generation);
        job.future = model.submit(job, need, false);
        pending = job;
    }

    /**
     * A finished model run of this generation becomes the keyframe. The model ran beside the stream: its time is not
     * this frame's.
     */
    private void adoptFinishedJob() throws Exception {
        if (pending == null || !pending.future.isDone()) {
            return;
        }
        ModelJob job = adoptPending(false);
        if (job.generation == generation) {
            keyframes.keyframeEarlier(
                    job.scores, job.luma, job.frame.width(), job.frame.height(), job.index, job.nanos, job.cpuNanos);
        }
    }

    /** Takes back the pending job (waiting for it when {@code wait}); null when there is none. */
    private ModelJob adoptPending(boolean wait) throws Exception {
        if (pending == null || !wait && !pending.future.isDone()) {
            return null;
        }
        ModelJob job = pending;
        pending = null;
        getResult(job.future);
        spare = job;
        return job;
    }

    private static void getResult(Future<Void> future) throws Exception {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public void onShutdown() {
        model.close();
        if (!model.awaitIdle(30_000)) {
            return; // still inside the model: closing its segmenter under it would crash the native side
        }
        segmenter.close();
        keyframes.close();
    }

    /** One model run: a private copy of the frame, its luma, and the scores it produced. */
    private final class ModelJob implements Callable<Void> {
        final VideoFrame frame = new VideoFrame(1, 1);
        final LumaImage luma = new LumaImage();
        final ScoreGrid scores = new ScoreGrid();
        long index;
        int generation;
        long nanos;
        long cpuNanos;
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
            segmenter.segment(frame, scores);
            nanos = System.nanoTime() - t;
            cpuNanos = segmenter.lastCpuNanos();
            return null;
        }
    }
}

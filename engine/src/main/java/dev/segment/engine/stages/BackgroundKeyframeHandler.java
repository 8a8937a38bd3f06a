package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.codecs.VideoFrame;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.LumaImage;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Stage 1 with keyframes, for live sources: the model runs on its own thread beside the stream. A frame that asks for
 * a keyframe is carried like the others and sends a copy of itself to the model when it is idle, and the result
 * becomes the keyframe that later frames are carried from (the motion is measured to it wherever it is). Only a start,
 * a restart, a new size or a scene cut wait for the model, since nothing valid can be carried across them.
 */
final class BackgroundKeyframeHandler implements EventHandler<FrameSlot> {
    private final KeyframeState keyframes;
    private final RunState state;
    // The model and its segmenter: used by the worker only.
    private final SizedSegmenter segmenter;
    private final ExecutorService worker;
    private ModelJob pending;
    private ModelJob spare = new ModelJob();
    private int generation;

    BackgroundKeyframeHandler(FrameSegmenter.Factory factory, KeyframeState keyframes, RunState state, String name) {
        this.segmenter = new SizedSegmenter(factory);
        this.keyframes = keyframes;
        this.state = state;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-model");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        keyframes.look(slot);
        adoptFinishedJob();
        KeyframeReason reason = keyframes.beforeMotion(slot);
        if (reason == null || reason == KeyframeReason.INTERVAL) {
            KeyframeReason afterMotion = keyframes.measure(slot);
            if (reason == null) {
                reason = afterMotion;
            }
        }
        slot.reason = reason;
        long modelNanos = 0;
        if (KeyframeState.restartLike(reason)) {
            modelNanos = runModelHere(slot);
        } else {
            if (reason.keyframe()) {
                requestModel(slot.input);
            }
            keyframes.carry(slot);
        }
        keyframes.finish(slot, t0, modelNanos);
    }

    /** The model on this frame, waited for: the frame becomes the keyframe. Returns the model's time. */
    private long runModelHere(FrameSlot slot) throws Exception {
        generation++; // a result still on its way belongs to what came before the restart: it is dropped
        waitForPending();
        ModelJob job = spare;
        job.load(slot.input, keyframes.luma(), keyframes.index(), generation);
        worker.submit(job).get();
        slot.scores.copyFrom(job.scores);
        keyframes.keyframeHere(slot, false, false, job.nanos); // a restart: nothing to fuse with
        return job.nanos;
    }

    /** Sends a copy of the frame to the model if it is idle; the result is adopted by a later frame. */
    private void requestModel(VideoFrame frame) {
        if (pending != null) {
            return;
        }
        ModelJob job = spare;
        spare = null;
        job.load(frame, keyframes.luma(), keyframes.index(), generation);
        job.future = worker.submit(job);
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
        ModelJob job = pending;
        pending = null;
        getResult(job);
        spare = job;
        if (job.generation != generation) {
            return;
        }
        keyframes.keyframeEarlier(job.scores, job.luma, job.frame.width(), job.frame.height(), job.index, job.nanos);
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

    @Override
    public void onShutdown() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!worker.isTerminated()) {
            return; // still inside the model: closing its segmenter under it would crash the native side
        }
        segmenter.close();
        keyframes.close();
    }

    /** One model run on the worker: a private copy of the frame, its luma, and the scores it produced. */
    private final class ModelJob implements Callable<Void> {
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
            segmenter.segment(frame, scores);
            nanos = System.nanoTime() - t;
            return null;
        }
    }
}

package dev.segment.engine;

import dev.segment.codecs.VideoFrame;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.Segmenter;

/**
 * The pipeline's model: makes a DeepLab {@link Segmenter} per frame size and copies its low-resolution logit grid
 * into the frame's slot. The model itself is shared (owned by the caller, e.g. from the process-wide model cache).
 */
public final class DeepLabSegmenters implements FrameSegmenter.Factory {
    private final DeepLabModel model;
    private final boolean unpadded;

    public DeepLabSegmenters(DeepLabModel model, boolean unpadded) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.unpadded = unpadded;
    }

    @Override
    public FrameSegmenter create(int width, int height) {
        Segmenter segmenter = model.segmenter(width, height, unpadded);
        return new FrameSegmenter() {
            @Override
            public void segment(VideoFrame frame, ScoreGrid out) {
                float[] grid = segmenter.runGrid(frame.rgb());
                int gw = segmenter.gridWidth();
                int gh = segmenter.gridHeight();
                int classes = segmenter.classCount();
                float[] dst =
                        out.reset(gw, gh, classes, segmenter.inputWidth(), segmenter.inputHeight(), segmenter.stride());
                System.arraycopy(grid, 0, dst, 0, gw * gh * classes);
            }

            @Override
            public long poolCpuNanos() {
                return model.poolCpuNanos();
            }

            @Override
            public void close() {
                segmenter.close();
            }
        };
    }
}

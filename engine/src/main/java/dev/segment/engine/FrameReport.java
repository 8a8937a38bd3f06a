package dev.segment.engine;

/**
 * What happened to one output frame: handed to {@link PipelineListener#onFrame} by the output stage after every sink
 * has written it. The arrays are owned by the pipeline and reused: copy what you keep.
 *
 * @param index           0-based output frame index
 * @param ptsMicros       presentation time of the frame
 * @param width           frame width
 * @param height          frame height
 * @param classPixels     pixels per class id (length = number of classes)
 * @param stageNanos      time spent per {@link Stage}, indexed by {@code Stage.ordinal()}
 * @param latencyNanos    capture (decode finished) to output (last sink written)
 * @param crfIterations   mean-field iterations run on this frame (0 when the CRF is off)
 * @param crfWarm         whether the CRF started from the previous frame's state
 */
public record FrameReport(long index, long ptsMicros, int width, int height, long[] classPixels, long[] stageNanos,
                          long latencyNanos, int crfIterations, boolean crfWarm) {

    /** The pipeline's stages, in order. */
    public enum Stage {
        DECODE("decode"), INFER("infer"), CRF("crf"), ENCODE("encode");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public double stageMillis(Stage stage) {
        return stageNanos[stage.ordinal()] / 1e6;
    }

    public long pixels() {
        return (long) width * height;
    }
}

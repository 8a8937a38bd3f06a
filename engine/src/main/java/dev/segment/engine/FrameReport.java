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
 * @param stageCpuNanos   CPU time per {@link Stage}: the stage thread's, and for {@code infer} TensorFlow's threads' on
 *                        the frame the model ran on (0 where not measured)
 * @param latencyNanos    capture (decode finished) to output (last sink written)
 * @param crfIterations   mean-field iterations run on this frame (0 when the CRF is off)
 * @param crfWarm         whether the CRF started from the previous frame's state
 * @param crfWidth        width of the grid the CRF refined on (0 when the CRF is off)
 * @param crfHeight       its height
 * @param keyframe        what the keyframe stage did with the frame
 */
public record FrameReport(
        long index,
        long ptsMicros,
        int width,
        int height,
        long[] classPixels,
        long[] stageNanos,
        long[] stageCpuNanos,
        long latencyNanos,
        int crfIterations,
        boolean crfWarm,
        int crfWidth,
        int crfHeight,
        Keyframe keyframe) {

    /**
     * Whether the frame's scores are the model's own, and the measurements that decided it.
     *
     * @param model     the model ran on this frame and its scores are used as they are: the frame is a keyframe
     * @param reason    why the frame asked for the model (on a keyframe, why it ran; on a live source, where the
     *                  model runs beside the stream, the frame may ask and still be carried), or {@code carried}
     *                  when it did not ask; {@code all} when keyframes are off
     * @param motionX   median motion from the frame back to its keyframe, frame pixels (NaN when not measured)
     * @param motionY   the same, vertically
     * @param residual  mean absolute luma error (0..255) of the keyframe warped onto the frame (NaN when not measured)
     * @param untrusted share of the frame whose carried scores had no trustworthy source (NaN when not measured)
     * @param change    the largest share of one 8x8 block of the frame that the warp does not explain (NaN when not
     *                  measured)
     */
    public record Keyframe(
            boolean model,
            KeyframeReason reason,
            double motionX,
            double motionY,
            double residual,
            double untrusted,
            double change) {
        /** Why the frame is a keyframe, or {@code carried} when its scores were carried: one value per frame. */
        public KeyframeReason keyframeReason() {
            return model ? reason : KeyframeReason.CARRIED;
        }

        /** Whether the frame asked for the model, whether or not the model's scores for it were used. */
        public boolean askedForModel() {
            return reason.keyframe();
        }
    }

    /** The pipeline's stages, in order. */
    public enum Stage {
        DECODE("decode"),
        INFER("infer"),
        PROPAGATE("propagate"),
        CRF("crf"),
        ENCODE("encode");

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

    public double stageCpuMillis(Stage stage) {
        return stageCpuNanos[stage.ordinal()] / 1e6;
    }

    public long pixels() {
        return (long) width * height;
    }
}

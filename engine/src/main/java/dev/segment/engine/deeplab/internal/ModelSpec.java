package dev.segment.engine.deeplab.internal;

/**
 * What a DeepLab graph was found to be.
 *
 * @param cropSize    side of the square padded input (513 or 1025); frames are resized to a long side of at most this
 * @param gridSize    side of the low-resolution logits grid over the padded crop (65 for crop 513 at output stride 8)
 * @param classCount  logits channels
 * @param inputNode   name of the float network input after preprocessing (for unpadded inference), or null
 */
public record ModelSpec(int cropSize, int gridSize, int classCount, String inputNode) {

    public static final String IMAGE_TENSOR = "ImageTensor";
    public static final String LOGITS = "logits/semantic/BiasAdd";
    public static final String UPSAMPLED_LOGITS = "ResizeBilinear_2";

    public ModelSpec {
        if (cropSize < 2 || gridSize < 2 || classCount < 1) {
            throw new IllegalArgumentException("cropSize " + cropSize + ", gridSize " + gridSize + ", classCount "
                    + classCount + ": crop and grid must be >= 2, classes >= 1");
        }
        if ((cropSize - 1) % (gridSize - 1) != 0) {
            throw new IllegalArgumentException(
                    "cropSize - 1 (" + (cropSize - 1) + ") is not a multiple of gridSize - 1 (" + (gridSize - 1) + ")");
        }
    }

    /** Model-input pixels per logits grid step: (crop - 1) / (grid - 1), 8 for DeepLab at output stride 8. */
    public int stride() {
        return (cropSize - 1) / (gridSize - 1);
    }
}

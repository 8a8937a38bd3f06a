package dev.segment.crf;

/**
 * Kernel parameters of the fully connected CRF (Potts compatibility, symmetric normalisation).
 *
 * @param gaussianSxy spatial standard deviation of the smoothness kernel, in pixels, &gt; 0
 * @param gaussianWeight weight of the smoothness kernel, &gt;= 0 (0 switches it off)
 * @param bilateralSxy spatial standard deviation of the appearance kernel, in pixels, &gt; 0
 * @param bilateralSrgb colour standard deviation of the appearance kernel, in 0..255 RGB units, &gt; 0
 * @param bilateralWeight weight of the appearance kernel, &gt;= 0 (0 switches it off)
 */
public record CrfParams(
        double gaussianSxy, double gaussianWeight, double bilateralSxy, double bilateralSrgb, double bilateralWeight) {

    public CrfParams {
        positive("gaussianSxy", gaussianSxy);
        nonNegative("gaussianWeight", gaussianWeight);
        positive("bilateralSxy", bilateralSxy);
        positive("bilateralSrgb", bilateralSrgb);
        nonNegative("bilateralWeight", bilateralWeight);
    }

    /** The reference's settings (pydensecrf README, the fixtures): Gaussian 3, 3; bilateral 80, 13, 10. */
    public static CrfParams reference() {
        return new CrfParams(3, 3, 80, 13, 10);
    }

    /**
     * The pipeline's default, chosen by measurement on DeepLab v3 output (see crf-native/README.md): the reference's
     * wide, heavy bilateral kernel erases small objects at video resolution; a narrower one (sxy 50, srgb 5, weight 4)
     * raises mIoU instead.
     */
    public static CrfParams pipelineDefault() {
        return new CrfParams(3, 3, 50, 5, 4);
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}

package dev.segment.engine.eval;

/**
 * Pixel counts by (truth class, predicted class) over any number of frames or images, and the scores read from them.
 * Truth values outside {@code 0..classes-1} (255 = void in VOC and DAVIS masks) are not counted.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be between 1 and 256, got " + classes);
        }
        this.counts = new long[classes][classes];
    }

    public int classes() {
        return counts.length;
    }

    /** Counts one pixel; a truth or prediction outside the classes (void) is skipped. */
    public void add(int truth, int predicted) {
        if (truth < counts.length && predicted < counts.length) {
            counts[truth][predicted]++;
        }
    }

    /** Pixels whose truth is {@code truth} and prediction {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** IoU of class {@code c}: TP / (TP + FP + FN); NaN when the class is in neither truth nor prediction. */
    public double iou(int c) {
        return iou(counts, c);
    }

    /** Mean IoU over the classes whose union is not empty (NaN if none). */
    public double meanIou() {
        return meanIou(counts);
    }

    /** Fraction of the counted pixels whose prediction equals the truth (NaN if none). */
    public double pixelAccuracy() {
        return pixelAccuracy(counts);
    }

    /** {@link #iou(int)} on a square matrix indexed [truth][predicted]. */
    public static double iou(long[][] m, int c) {
        long tp = m[c][c];
        long fn = 0;
        long fp = 0;
        for (int k = 0; k < m.length; k++) {
            if (k != c) {
                fn += m[c][k];
                fp += m[k][c];
            }
        }
        long union = tp + fn + fp;
        return union == 0 ? Double.NaN : tp / (double) union;
    }

    /** {@link #meanIou()} on a square matrix indexed [truth][predicted]. */
    public static double meanIou(long[][] m) {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < m.length; c++) {
            double v = iou(m, c);
            if (!Double.isNaN(v)) {
                sum += v;
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** {@link #pixelAccuracy()} on a square matrix indexed [truth][predicted]. */
    public static double pixelAccuracy(long[][] m) {
        long right = 0;
        long all = 0;
        for (int t = 0; t < m.length; t++) {
            for (int p = 0; p < m.length; p++) {
                all += m[t][p];
                if (t == p) {
                    right += m[t][p];
                }
            }
        }
        return all == 0 ? Double.NaN : right / (double) all;
    }
}

package dev.segment.engine.eval;

import java.nio.ByteBuffer;

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

    /**
     * Counts one image's or frame's pixels.
     *
     * @param truth  one class id per pixel (255 = void)
     * @param labels the predicted class of each pixel, read from index 0 (absolute, the position is not moved)
     */
    public void add(byte[] truth, ByteBuffer labels) {
        if (labels.limit() < truth.length) {
            throw new IllegalArgumentException(labels.limit() + " labels for " + truth.length + " truth pixels");
        }
        for (int i = 0; i < truth.length; i++) {
            add(truth[i] & 0xff, labels.get(i) & 0xff);
        }
    }

    /** Adds another matrix's counts (one image's into a whole set's). */
    public void add(ConfusionMatrix other) {
        if (other.classes() != classes()) {
            throw new IllegalArgumentException(
                    "a matrix of " + other.classes() + " classes added to one of " + classes());
        }
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                counts[t][p] += other.counts[t][p];
            }
        }
    }

    /** Pixels whose truth is {@code truth} and prediction {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** IoU of class {@code c}: TP / (TP + FP + FN); NaN when the class is in neither truth nor prediction. */
    public double iou(int c) {
        long tp = counts[c][c];
        long fn = 0;
        long fp = 0;
        for (int k = 0; k < counts.length; k++) {
            if (k != c) {
                fn += counts[c][k];
                fp += counts[k][c];
            }
        }
        long union = tp + fn + fp;
        return union == 0 ? Double.NaN : tp / (double) union;
    }

    /** Mean IoU over the classes whose union is not empty (NaN if none). */
    public double meanIou() {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < counts.length; c++) {
            double v = iou(c);
            if (!Double.isNaN(v)) {
                sum += v;
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** Fraction of the counted pixels whose prediction equals the truth (NaN if none). */
    public double pixelAccuracy() {
        long right = 0;
        long all = 0;
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                all += counts[t][p];
                if (t == p) {
                    right += counts[t][p];
                }
            }
        }
        return all == 0 ? Double.NaN : right / (double) all;
    }
}

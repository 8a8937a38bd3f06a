package dev.segment.engine.eval;

import java.nio.ByteBuffer;

/**
 * Quality of a labelled video, frame by frame in order: against per-frame truth (one object's IoU and the confusion
 * matrix of all classes) and over time (flicker, the share of pixels whose label changes between consecutive frames).
 *
 * <ul>
 *   <li>object IoU: the mean over frames of that frame's IoU of the object class (DAVIS's region similarity J), over
 *       the frames where the object is in the truth or the labels; pixels whose truth is void (255) are not counted.
 *   <li>mIoU: from one confusion matrix over every counted pixel of every frame, the mean over the classes present
 *       in the truth or the labels.
 *   <li>flicker: the mean over consecutive frame pairs of the fraction of all pixels whose label differs.
 *   <li>truth flicker: the same for the truth (over pixels labelled in both frames): the change real motion causes,
 *       the floor a correct segmentation cannot go below.
 *   <li>GT-masked flicker: among the pixels whose truth is the same (and not void) in two consecutive frames, the
 *       share whose label changes, pooled over all pairs: flicker the motion does not explain.
 *   <li>VC_n (VSPW's video consistency): per window of n consecutive frames that all have a truth, the pixels whose
 *       truth stays the same (not void) through the window, and of those the share whose label also stays the same;
 *       the mean over all windows (sliding by one frame).
 * </ul>
 *
 * <p>The temporal measures keep, per pixel, how many frames the truth and the label have held their value (a run
 * length), so a window's test is one comparison and no past frame is stored.
 */
public final class VideoScore {
    private final int classes;
    private final int object;
    private final ConfusionMatrix confusion;
    private int pixels = -1;
    private byte[] previous;
    private byte[] previousTruth;
    private long frames;
    private long truthFrames;
    private double objectIouSum;
    private long objectFrames;
    private double flickerSum;
    private long flickerPairs;
    private double truthFlickerSum;
    private long truthFlickerPairs;
    /** Per pixel: frames the label has held its value, up to the current one (capped at the longest window). */
    private short[] labelRun;
    /** Per pixel: frames the truth has held its (non-void) value; 0 for void or a frame without truth. */
    private short[] truthRun;
    /** Consecutive frames up to the current one that have a truth. */
    private int truthStreak;

    private long stillTruthPixels;
    private long stillTruthChanged;
    private final int[] windows;
    /** The run lengths are capped here: a run longer than the longest window tells nothing more. */
    private final int longest;
    /** Per window, this frame's truth-consistent pixels and those of them whose label is consistent too (scratch). */
    private final long[] still;

    private final long[] consistent;
    private final double[] consistencySum;
    private final long[] consistencyWindows;

    /**
     * @param classes the model's classes; labels and truth values from {@code classes} up count as void
     * @param object  the class whose IoU is reported, or -1 for none
     */
    public VideoScore(int classes, int object) {
        this(classes, object, 8, 16);
    }

    /**
     * @param classes the model's classes; labels and truth values from {@code classes} up count as void
     * @param object  the class whose IoU is reported, or -1 for none
     * @param windows the window lengths n of the VC_n figures, each at least 2
     */
    public VideoScore(int classes, int object, int... windows) {
        for (int n : windows) {
            if (n < 2 || n > Short.MAX_VALUE) {
                throw new IllegalArgumentException("a consistency window spans 2 frames or more, got " + n);
            }
        }
        this.windows = windows.clone();
        this.consistencySum = new double[windows.length];
        this.consistencyWindows = new long[windows.length];
        this.still = new long[windows.length];
        this.consistent = new long[windows.length];
        this.longest = java.util.Arrays.stream(windows).max().orElse(2);
        this.confusion = new ConfusionMatrix(classes);
        if (object < -1 || object >= classes) {
            throw new IllegalArgumentException(
                    "object class must be -1 (none) or in 0.." + (classes - 1) + ", got " + object);
        }
        this.classes = classes;
        this.object = object;
    }

    /**
     * Scores the next frame.
     *
     * @param labels one class id per pixel, row-major, read from index 0 (absolute, the position is not moved)
     * @param count  pixels in the frame; the same for every frame
     * @param truth  the frame's truth, {@code count} class ids (255 = void), or null when there is none
     */
    public void add(ByteBuffer labels, int count, byte[] truth) {
        if (pixels < 0) {
            if (count < 1) {
                throw new IllegalArgumentException("a frame needs at least one pixel, got " + count);
            }
            pixels = count;
            previous = new byte[count];
            labelRun = new short[count];
            truthRun = new short[count];
        } else if (count != pixels) {
            throw new IllegalArgumentException("frame " + frames + " has " + count + " pixels, the first had " + pixels
                    + ": the frame size changed mid-clip");
        }
        if (labels.limit() < count) {
            throw new IllegalArgumentException(
                    "frame " + frames + ": " + labels.limit() + " labels for " + count + " pixels");
        }
        if (truth != null && truth.length != count) {
            throw new IllegalArgumentException(
                    "frame " + frames + ": truth of " + truth.length + " pixels for a frame" + " of " + count);
        }
        long changed = 0;
        long inter = 0;
        long union = 0;
        boolean truthBefore = truth != null && truthStreak > 0;
        truthStreak = truth == null ? 0 : truthStreak + 1;
        java.util.Arrays.fill(still, 0);
        java.util.Arrays.fill(consistent, 0);
        for (int i = 0; i < count; i++) {
            byte l = labels.get(i);
            boolean labelChanged = frames > 0 && l != previous[i];
            if (labelChanged) {
                changed++;
            }
            labelRun[i] = (short) (frames == 0 || labelChanged ? 1 : Math.min(labelRun[i] + 1, longest));
            if (truth != null) {
                int t = truth[i] & 0xff;
                boolean truthHeld = truthBefore && t < classes && truthRun[i] > 0 && previousTruth[i] == truth[i];
                truthRun[i] = (short) (t >= classes ? 0 : truthHeld ? Math.min(truthRun[i] + 1, longest) : 1);
                if (truthHeld) {
                    stillTruthPixels++;
                    stillTruthChanged += labelChanged ? 1 : 0;
                }
                for (int w = 0; w < windows.length; w++) {
                    if (truthRun[i] >= windows[w]) {
                        still[w]++;
                        consistent[w] += labelRun[i] >= windows[w] ? 1 : 0;
                    }
                }
                int p = l & 0xff;
                confusion.add(t, p);
                if (t < classes) {
                    boolean a = t == object;
                    boolean b = p == object;
                    inter += a && b ? 1 : 0;
                    union += a || b ? 1 : 0;
                }
            } else {
                truthRun[i] = 0;
            }
            previous[i] = l;
        }
        if (frames > 0) {
            flickerSum += changed / (double) count;
            flickerPairs++;
        }
        for (int w = 0; w < windows.length; w++) {
            if (truthStreak >= windows[w] && still[w] > 0) {
                consistencySum[w] += consistent[w] / (double) still[w];
                consistencyWindows[w]++;
            }
        }
        if (truth != null) {
            if (object >= 0 && union > 0) {
                objectIouSum += inter / (double) union;
                objectFrames++;
            }
            if (previousTruth != null) {
                truthFlickerSum += changedFraction(truth, previousTruth);
                truthFlickerPairs++;
            } else {
                previousTruth = new byte[count];
            }
            System.arraycopy(truth, 0, previousTruth, 0, count);
            truthFrames++;
        } else {
            previousTruth = null;
        }
        frames++;
    }

    /** Frames scored. */
    public long frames() {
        return frames;
    }

    /** Frames scored against a truth. */
    public long truthFrames() {
        return truthFrames;
    }

    /** Mean per-frame IoU of the object class; NaN with no object, no truth, or the object in no frame. */
    public double objectIou() {
        return objectFrames == 0 ? Double.NaN : objectIouSum / objectFrames;
    }

    /** Frames that counted towards {@link #objectIou()}. */
    public long objectFrames() {
        return objectFrames;
    }

    /** Mean IoU over the classes present, from the confusion matrix of every frame; NaN without truth. */
    public double meanIou() {
        return confusion.meanIou();
    }

    public double pixelAccuracy() {
        return confusion.pixelAccuracy();
    }

    /** The confusion matrix so far (live view). */
    public ConfusionMatrix confusion() {
        return confusion;
    }

    /** Mean fraction of pixels whose label changes between consecutive frames; NaN before the second frame. */
    public double flicker() {
        return flickerPairs == 0 ? Double.NaN : flickerSum / flickerPairs;
    }

    /** The truth's own flicker over consecutive frames that both have a truth; NaN if there are none. */
    public double truthFlicker() {
        return truthFlickerPairs == 0 ? Double.NaN : truthFlickerSum / truthFlickerPairs;
    }

    /**
     * Among pixels whose truth is unchanged (and not void) between consecutive frames, the share whose label changes;
     * NaN before two consecutive frames with a truth.
     */
    public double maskedFlicker() {
        return stillTruthPixels == 0 ? Double.NaN : stillTruthChanged / (double) stillTruthPixels;
    }

    /**
     * VSPW's VC_n for the window length {@code n} given to the constructor: the mean over windows of n frames of the
     * share of truth-consistent pixels whose label is consistent too; NaN before the first whole window.
     */
    public double consistency(int n) {
        for (int w = 0; w < windows.length; w++) {
            if (windows[w] == n) {
                return consistencyWindows[w] == 0 ? Double.NaN : consistencySum[w] / consistencyWindows[w];
            }
        }
        throw new IllegalArgumentException(
                "no VC_" + n + " window: this score has " + java.util.Arrays.toString(windows));
    }

    /** Fraction of the pixels labelled (not void) in both masks whose label differs. */
    private double changedFraction(byte[] a, byte[] b) {
        long both = 0;
        long changed = 0;
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & 0xff) < classes && (b[i] & 0xff) < classes) {
                both++;
                if (a[i] != b[i]) {
                    changed++;
                }
            }
        }
        return both == 0 ? 0 : changed / (double) both;
    }
}

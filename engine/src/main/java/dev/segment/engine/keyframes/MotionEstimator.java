package dev.segment.engine.keyframes;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * The motion from a frame back to its keyframe, at the luma working size: OpenCV's DIS optical flow (Kroeger et al.
 * 2016, a coarse-to-fine patch search with variational refinement, a few milliseconds at 320x180), then, per pixel,
 * where its content was in the keyframe, and how well the keyframe warped along that motion explains the frame.
 *
 * <p>Why DIS: it is in the OpenCV build we already ship, it is dense (a person walking against a panning background
 * gets their own motion), it works on any source (MJPEG webcams and image sequences carry no codec motion vectors, and
 * H.264's vectors point to arbitrary reference frames rather than to our keyframe), and it measures the motion from
 * the frame straight to the keyframe, so the warp is one resampling, never a chain of them.
 *
 * <p>The result goes into a {@link Flow} the caller owns; the estimator keeps only scratch buffers between calls.
 * Not thread-safe; owns native memory until {@link #close()}.
 */
final class MotionEstimator implements AutoCloseable {
    /** A pixel whose 5x5 mean warp error exceeds this (0..255 luma) is not explained by the motion. */
    static final int PIXEL_RESIDUAL = 20;
    /** Smallest luma width and height the flow is measured on (DIS refuses images smaller than its patches). */
    static final int MIN_SIZE = 32;
    /** The frame is divided into BLOCKS x BLOCKS blocks for the local change measure. */
    static final int BLOCKS = 8;

    private final boolean global;
    private final DISOpticalFlow dis;
    private final Scalar zero = new Scalar(0.0);
    private Mat flowMat;
    private Mat current;
    private Mat reference;
    private int width;
    private int height;
    private float[] error = new float[0];
    private float[] boxRow = new float[0];
    private final int[] blockPixels = new int[BLOCKS * BLOCKS];
    private final int[] blockUnexplained = new int[BLOCKS * BLOCKS];
    private float[] sortX = new float[0];
    private float[] sortY = new float[0];
    private boolean closed;

    /** @param global true to replace the dense field by its median translation (one camera motion per frame) */
    public MotionEstimator(boolean global) {
        this.global = global;
        // One thread: the flow runs inside a pipeline stage beside TensorFlow and the CRF, which already use every
        // core; OpenCV's own pool would only add contention (the setting is process-wide and nothing else of ours
        // runs OpenCV).
        setNumThreads(1);
        this.dis = DISOpticalFlow.create(DISOpticalFlow.PRESET_FAST);
    }

    /**
     * Estimates the motion from {@code frame} back to {@code keyframe} (same size) and measures the warp.
     *
     * @param into receives the per-pixel field
     * @return the figures
     */
    public Motion estimate(LumaImage frame, LumaImage keyframe, Flow into) {
        if (closed) {
            throw new IllegalStateException("MotionEstimator is closed");
        }
        if (frame.width() < MIN_SIZE || frame.height() < MIN_SIZE) {
            throw new IllegalArgumentException("motion needs at least " + MIN_SIZE + "x" + MIN_SIZE + " pixels, got "
                    + frame.width() + "x" + frame.height());
        }
        if (frame.width() != keyframe.width() || frame.height() != keyframe.height()) {
            throw new IllegalArgumentException("frame " + frame.width() + "x" + frame.height() + " and keyframe "
                    + keyframe.width() + "x" + keyframe.height() + " differ in size");
        }
        ensure(frame.width(), frame.height());
        into.resize(width, height);
        float[] flow = into.field;
        boolean[] trusted = into.trusted;
        int n = width * height;
        current.data().put(frame.pixels(), 0, n);
        reference.data().put(keyframe.pixels(), 0, n);
        // DIS takes a flow of the images' size and type as its initial guess: start from zero motion every time (an
        // uninitialised field held NaNs here once and crashed inside the search).
        flowMat.put(zero);
        dis.calc(current, reference, flowMat);
        FloatBuffer fb = flowMat.createBuffer();
        fb.get(flow, 0, 2 * n);
        double[] median = medianMotion(flow, n);
        if (global) {
            for (int i = 0; i < n; i++) {
                flow[2 * i] = (float) median[0];
                flow[2 * i + 1] = (float) median[1];
            }
        }
        double residual = measureWarp(flow, trusted, frame.pixels(), keyframe.pixels());
        int untrusted = 0;
        Arrays.fill(blockPixels, 0);
        Arrays.fill(blockUnexplained, 0);
        for (int y = 0, i = 0; y < height; y++) {
            int row = y * BLOCKS / height * BLOCKS;
            for (int x = 0; x < width; x++, i++) {
                int b = row + x * BLOCKS / width;
                blockPixels[b]++;
                if (!trusted[i]) {
                    untrusted++;
                    if (error[i] >= 0) {
                        blockUnexplained[b]++; // has a source, but the warp does not explain it
                    }
                }
            }
        }
        double change = 0;
        for (int b = 0; b < blockPixels.length; b++) {
            if (blockPixels[b] > 0) {
                change = Math.max(change, (double) blockUnexplained[b] / blockPixels[b]);
            }
        }
        return new Motion(median[0], median[1], residual, (double) untrusted / n, change, width, height);
    }

    /** Mean absolute luma error of the warp over pixels with a source; fills {@code trusted}. */
    private double measureWarp(float[] flow, boolean[] trusted, byte[] frame, byte[] key) {
        int w = width;
        int h = height;
        double sum = 0;
        int counted = 0;
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                float sx = x + flow[2 * i];
                float sy = y + flow[2 * i + 1];
                if (sx < -0.5f || sy < -0.5f || sx > w - 0.5f || sy > h - 0.5f) {
                    error[i] = -1; // no source: left the picture (or came in)
                    continue;
                }
                float e = Math.abs((frame[i] & 0xff) - bilinear(key, w, h, Math.max(0, sx), Math.max(0, sy)));
                error[i] = e;
                sum += e;
                counted++;
            }
        }
        boxTrust(trusted);
        return counted == 0 ? 255.0 : sum / counted;
    }

    /** A pixel is trusted when it has a source and the 5x5 mean of the warp error around it is small. */
    private void boxTrust(boolean[] trusted) {
        int w = width;
        int h = height;
        int r = 2;
        // horizontal 5-tap sums of the error (pixels without a source count as large errors)
        float[] rows = boxRow;
        for (int y = 0; y < h; y++) {
            int base = y * w;
            for (int x = 0; x < w; x++) {
                float s = 0;
                int c = 0;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) {
                    float e = error[base + k];
                    s += e < 0 ? 255 : e;
                    c++;
                }
                rows[base + x] = s / c;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (error[i] < 0) {
                    trusted[i] = false;
                    continue;
                }
                float s = 0;
                int c = 0;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) {
                    s += rows[k * w + x];
                    c++;
                }
                trusted[i] = s / c <= PIXEL_RESIDUAL;
            }
        }
    }

    /** The median of each flow component over every 4th pixel (a quarter of the sort; the field is smooth). */
    private double[] medianMotion(float[] flow, int n) {
        int m = 0;
        for (int i = 0; i < n; i += 4, m++) {
            sortX[m] = flow[2 * i];
            sortY[m] = flow[2 * i + 1];
        }
        Arrays.sort(sortX, 0, m);
        Arrays.sort(sortY, 0, m);
        return new double[] {sortX[m / 2], sortY[m / 2]};
    }

    static float bilinear(byte[] img, int w, int h, float x, float y) {
        int x0 = Math.min((int) x, w - 1);
        int y0 = Math.min((int) y, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        float fx = x - x0;
        float fy = y - y0;
        float a = (img[y0 * w + x0] & 0xff) * (1 - fx) + (img[y0 * w + x1] & 0xff) * fx;
        float b = (img[y1 * w + x0] & 0xff) * (1 - fx) + (img[y1 * w + x1] & 0xff) * fx;
        return a * (1 - fy) + b * fy;
    }

    private void ensure(int w, int h) {
        if (w == width && h == height && flowMat != null) {
            return;
        }
        releaseMats();
        width = w;
        height = h;
        int n = w * h;
        flowMat = new Mat(h, w, CV_32FC2);
        current = new Mat(h, w, CV_8UC1);
        reference = new Mat(h, w, CV_8UC1);
        error = new float[n];
        boxRow = new float[n];
        sortX = new float[(n + 3) / 4];
        sortY = new float[(n + 3) / 4];
    }

    private void releaseMats() {
        if (flowMat != null) {
            flowMat.close();
            current.close();
            reference.close();
            flowMat = null;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releaseMats();
            dis.close();
            zero.close();
        }
    }
}

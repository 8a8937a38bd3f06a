package dev.segment.engine.keyframes;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.segment.codecs.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Scales a frame down to the working width (area averaging, aspect kept) and converts it to luma, with OpenCV. Owns
 * its native buffers until {@link #close()}; one instance per thread.
 */
final class LumaScaler implements AutoCloseable {
    private final int targetWidth;
    private Mat small;
    private Mat grey;
    private int frameWidth;
    private int frameHeight;
    private int width;
    private int height;
    private boolean closed;

    /** @param targetWidth width of the luma image; frames narrower than it are used at their own size */
    public LumaScaler(int targetWidth) {
        if (targetWidth < 8) {
            throw new IllegalArgumentException("targetWidth must be >= 8, got " + targetWidth);
        }
        this.targetWidth = targetWidth;
    }

    /** Writes {@code frame}'s luma at the working size into {@code out}. */
    public void scale(VideoFrame frame, LumaImage out) {
        if (closed) {
            throw new IllegalStateException("LumaScaler is closed");
        }
        int fw = frame.width();
        int fh = frame.height();
        if (fw != frameWidth || fh != frameHeight || small == null) {
            releaseMats();
            frameWidth = fw;
            frameHeight = fh;
            width = Math.min(targetWidth, fw);
            height = Math.max(1, (int) Math.round((double) fh * width / fw));
            small = new Mat(height, width, CV_8UC3);
            grey = new Mat(height, width, CV_8UC1);
        }
        try (BytePointer rgbPointer = new BytePointer(frame.rgb());
                Mat rgb = new Mat(fh, fw, CV_8UC3, rgbPointer);
                Size size = new Size(width, height)) {
            if (width == fw && height == fh) {
                cvtColor(rgb, grey, COLOR_RGB2GRAY);
            } else {
                resize(rgb, small, size, 0, 0, INTER_AREA);
                cvtColor(small, grey, COLOR_RGB2GRAY);
            }
        }
        byte[] dst = out.reset(width, height);
        grey.data().get(dst, 0, width * height);
        out.countHistogram();
    }

    private void releaseMats() {
        if (small != null) {
            small.close();
            grey.close();
            small = null;
            grey = null;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releaseMats();
        }
    }
}

package dev.segment.engine.keyframes;

/**
 * One frame's motion back to its keyframe at the luma working size: per pixel, where its content was in the keyframe
 * and whether the warp explains it there, plus the frame's figures ({@link Motion}). {@link Propagator#measure} fills
 * it, {@link Propagator#carry} and {@link Propagator#fuse} read it. Whoever measures owns one and reuses it: its
 * arrays grow only when the size does. Not thread-safe.
 */
public final class Flow {
    private int width;
    private int height;
    /** (dx, dy) per pixel, in luma pixels: from the frame to the keyframe. */
    float[] field = new float[0];
    /** Per pixel: it has a source inside the keyframe and the warp explains it there. */
    boolean[] trusted = new boolean[0];

    /** Sizes the field for a {@code w} x {@code h} luma image (its contents are then undefined). */
    void resize(int w, int h) {
        width = w;
        height = h;
        int n = w * h;
        if (trusted.length != n) {
            field = new float[2 * n];
            trusted = new boolean[n];
        }
    }

    /** Luma width the field refers to. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Where pixel (x, y) of the frame was in the keyframe, in luma pixels (may lie outside the picture). */
    public float sourceX(int x, int y) {
        return x + field[2 * (y * width + x)];
    }

    public float sourceY(int x, int y) {
        return y + field[2 * (y * width + x) + 1];
    }

    /** Whether pixel (x, y) has a source inside the keyframe and the warp explains it there. */
    public boolean trusted(int x, int y) {
        return trusted[y * width + x];
    }
}

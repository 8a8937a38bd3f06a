package dev.segment.crf;

/**
 * A global translation between consecutive frames, as the warm start estimates it: the content at (x, y) in the new
 * frame was at (x - dx, y - dy) in the previous one, in pixels at CRF resolution.
 */
public record CameraShift(int dx, int dy) {
    /** No motion. */
    public static final CameraShift NONE = new CameraShift(0, 0);
}

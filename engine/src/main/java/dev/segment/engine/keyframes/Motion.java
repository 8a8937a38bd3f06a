package dev.segment.engine.keyframes;

/**
 * The figures of one frame's motion back to its keyframe (the per-pixel field is in {@link Flow}).
 *
 * @param dx median horizontal displacement from the frame to the keyframe, in luma pixels
 * @param dy median vertical displacement
 * @param residual mean absolute luma error (0..255) of the keyframe warped onto the frame, over pixels with a source
 * @param untrusted share of the frame (0..1) with no source in the keyframe or a large local warp error
 * @param change the largest share (0..1), over the frame's 8x8 blocks, of pixels that have a source but a large local
 *     warp error: one block where the keyframe does not explain the frame (a new object arriving, something uncovered)
 *     without the whole frame being wrong
 * @param width luma working width the figures refer to
 * @param height luma working height
 */
public record Motion(double dx, double dy, double residual, double untrusted, double change, int width, int height) {}

/**
 * Motion between video frames, for carrying the model's scores from a keyframe to the frames after it: a frame's
 * luma at a small working size ({@link dev.segment.engine.motion.LumaImage}), the dense optical flow from a frame back
 * to its keyframe with its warp residual ({@link dev.segment.engine.motion.MotionEstimator}), and the warp of the
 * keyframe's score grid along that flow ({@link dev.segment.engine.motion.ScoreWarper}).
 */
package dev.segment.engine.motion;

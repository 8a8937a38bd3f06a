/**
 * DeepLab v3 inference with TensorFlow Java: load and check a frozen graph ({@link
 * dev.segment.engine.deeplab.DeepLabModel}), share it between pipelines of a process ({@link
 * dev.segment.engine.deeplab.ModelCache}), and turn RGB24 frames of any size into per-pixel class logits and labels
 * ({@link dev.segment.engine.deeplab.Segmenter}).
 */
package dev.segment.engine.deeplab;

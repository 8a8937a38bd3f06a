package dev.segment.crf;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A model's low-resolution logits grid and its geometry, for the CRF to upsample itself (bilinearly, fused with its
 * softmax) instead of receiving a full-resolution score map: a 768x432 frame with 21 classes has a 65x37 grid of
 * 50,505 floats where its full map has 7 million.
 *
 * <p>The mapping is DeepLab's: output pixel {@code x} of a {@code width}-pixel CRF frame maps to the model-input image
 * with pixel-centre alignment, {@code x' = clamp((x + 0.5) * inputWidth / width - 0.5, 0, inputWidth - 1)}, and the
 * image to the grid with align-corners upsampling, {@code g = min(x' / stride, gridWidth - 1)} (the same for rows);
 * the logits are the bilinear blend of the four grid cells around {@code g}, computed in float exactly as the engine's
 * Java upsampler does.
 *
 * @param data {@code gridWidth * gridHeight * classes} floats from its position, pixel-major ({@code (gy * gridWidth
 *     + gx) * classes + c}), direct, native byte order
 * @param inputWidth width of the image the model saw (the frame as resized for it)
 * @param stride model-input pixels per grid step
 */
public record LogitGrid(
        FloatBuffer data, int gridWidth, int gridHeight, int classes, int inputWidth, int inputHeight, int stride) {
    public LogitGrid {
        Objects.requireNonNull(data, "data");
        if (gridWidth < 1 || gridHeight < 1 || gridWidth > 65536 || gridHeight > 65536) {
            throw new IllegalArgumentException(
                    "grid must be 1..65536 cells a side, got " + gridWidth + "x" + gridHeight);
        }
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
        }
        if (inputWidth < 1 || inputHeight < 1 || inputWidth > 65536 || inputHeight > 65536) {
            throw new IllegalArgumentException(
                    "model input must be 1..65536 pixels a side, got " + inputWidth + "x" + inputHeight);
        }
        if (stride < 1 || stride > 65536) {
            throw new IllegalArgumentException("stride must be in 1..65536, got " + stride);
        }
        if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("data must be a direct float buffer in native byte order");
        }
        long floats = (long) gridWidth * gridHeight * classes;
        if (data.remaining() < floats) {
            throw new IllegalArgumentException("data has " + data.remaining() + " floats remaining, a " + gridWidth
                    + "x" + gridHeight + " grid of " + classes + " classes needs " + floats);
        }
    }
}

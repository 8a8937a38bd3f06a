package dev.segment.engine;

import java.nio.ByteBuffer;

/** Draws the output picture of a frame (input + class colours) into a caller buffer; used by the output stage. */
@FunctionalInterface
public interface FramePainter {
    void paint(ByteBuffer rgb, ByteBuffer labels, int width, int height, ByteBuffer out);
}

package dev.segment.codecs.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.segment.codecs.VideoFrame;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded pictures of any pixel format and stride to packed RGB24 in a {@link VideoFrame}, turning them
 * upright by a clockwise rotation of 0, 90, 180 or 270 degrees. Unrotated pictures are converted straight into the
 * frame's buffer; rotated ones go through one reusable native buffer. No per-frame allocation once sizes settle.
 */
public final class RgbConverter implements AutoCloseable {
    private final int rotation;
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);
    private SwsContext sws;
    private PointerPointer<AVFrame> srcData;
    private AVFrame srcFrame;
    private ByteBuffer targetBuffer;
    private BytePointer targetPointer;
    private BytePointer rotateBuffer;
    private ByteBuffer rotateView;

    public RgbConverter(int rotation) {
        if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        this.rotation = rotation;
    }

    /** Width of the upright picture for a decoded picture of the given size. */
    public int uprightWidth(int decodedWidth, int decodedHeight) {
        return rotation % 180 == 0 ? decodedWidth : decodedHeight;
    }

    public int uprightHeight(int decodedWidth, int decodedHeight) {
        return rotation % 180 == 0 ? decodedHeight : decodedWidth;
    }

    public void convert(AVFrame picture, VideoFrame out) {
        int w = picture.width();
        int h = picture.height();
        sws = sws_getCachedContext(
                sws, w, h, picture.format(), w, h, AV_PIX_FMT_RGB24, SWS_BICUBIC, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new IllegalStateException(
                    "swscale cannot convert pixel format " + picture.format() + " at " + w + "x" + h + " to RGB24");
        }
        if (srcFrame == null || srcFrame.address() != picture.address()) {
            srcFrame = picture;
            srcData = new PointerPointer<>(picture);
        }
        if (rotation == 0) {
            ByteBuffer dst = out.resize(w, h);
            scale(pointerTo(dst), w, h);
            return;
        }
        long bytes = 3L * w * h;
        if (rotateBuffer == null || rotateBuffer.capacity() < bytes) {
            if (rotateBuffer != null) {
                rotateBuffer.close();
            }
            rotateBuffer = new BytePointer(bytes);
            rotateView = rotateBuffer.capacity(bytes).asByteBuffer();
        }
        scale(rotateBuffer, w, h);
        ByteBuffer dst = out.resize(uprightWidth(w, h), uprightHeight(w, h));
        Rotation.rotate(rotateView, w, h, rotation, dst);
    }

    private void scale(BytePointer dst, int w, int h) {
        dstData.put(0, dst);
        dstStride.put(0, w * 3);
        sws_scale(sws, srcData, srcFrame.linesize(), 0, h, dstData, dstStride);
    }

    private BytePointer pointerTo(ByteBuffer buffer) {
        if (buffer != targetBuffer) {
            targetBuffer = buffer;
            targetPointer = new BytePointer(buffer);
        }
        return targetPointer;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (rotateBuffer != null) {
            rotateBuffer.close();
            rotateBuffer = null;
        }
        dstData.close();
        dstStride.close();
    }
}

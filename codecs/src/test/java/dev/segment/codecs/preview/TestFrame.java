package dev.segment.codecs.preview;

import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VocPalette;
import java.nio.ByteBuffer;

/**
 * A segmented frame made in memory: the left half labelled {@code leftClass}, the right half background, and the
 * overlay painted in the pure palette colours (so a preview's pixels can be checked against the palette).
 */
final class TestFrame implements SegmentedFrame {
    private final VideoFrame input;
    private final ByteBuffer overlay;
    private final ByteBuffer labels;
    private long index;
    private long pts;

    TestFrame(int width, int height, int leftClass) {
        input = new VideoFrame(width, height);
        input.resize(width, height);
        overlay = ByteBuffer.allocateDirect(width * height * 3);
        labels = ByteBuffer.allocateDirect(width * height);
        int left = VocPalette.rgb(leftClass);
        int bg = VocPalette.rgb(0);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean isLeft = x < width / 2;
                int c = isLeft ? left : bg;
                int p = y * width + x;
                overlay.put(p * 3, (byte) (c >> 16))
                        .put(p * 3 + 1, (byte) (c >> 8))
                        .put(p * 3 + 2, (byte) c);
                labels.put(p, (byte) (isLeft ? leftClass : 0));
                input.rgb().put(p * 3, (byte) 90);
            }
        }
    }

    TestFrame at(long i, long ptsMicros) {
        index = i;
        pts = ptsMicros;
        input.setPtsMicros(ptsMicros);
        return this;
    }

    @Override
    public long index() {
        return index;
    }

    @Override
    public long ptsMicros() {
        return pts;
    }

    @Override
    public int width() {
        return input.width();
    }

    @Override
    public int height() {
        return input.height();
    }

    @Override
    public VideoFrame input() {
        return input;
    }

    @Override
    public ByteBuffer overlay() {
        return overlay.duplicate().clear();
    }

    @Override
    public ByteBuffer labels() {
        return labels.duplicate().clear();
    }

    /** True when {@code rgb} is within {@code tolerance} of palette class {@code id} on every channel. */
    static boolean near(int rgb, int id, int tolerance) {
        int c = VocPalette.rgb(id);
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((c >> shift) & 0xff)) > tolerance) {
                return false;
            }
        }
        return true;
    }
}

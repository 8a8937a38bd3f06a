package dev.segment.codecs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EvenPadderTest {
    private static ByteBuffer picture(int bytes, int capacity) {
        ByteBuffer b = ByteBuffer.allocateDirect(capacity);
        for (int i = 0; i < bytes; i++) {
            b.put(i, (byte) (i * 7));
        }
        return b.limit(bytes);
    }

    @Test
    void evenPictureWithAReadableTailPassesThrough() {
        EvenPadder p = new EvenPadder(854, 480);
        ByteBuffer rgb = picture(854 * 480 * 3, 854 * 480 * 3 + EvenPadder.TAIL);
        assertSame(rgb, p.pad(rgb));
    }

    @Test
    void evenPictureEndingAtItsAllocationIsCopiedWithATail() {
        // 854x480 RGB24 rows are 2562 bytes: swscale's vector loads read past the last pixel of such a picture
        EvenPadder p = new EvenPadder(854, 480);
        int bytes = 854 * 480 * 3;
        ByteBuffer rgb = picture(bytes, bytes);
        ByteBuffer out = p.pad(rgb);
        assertNotSame(rgb, out);
        assertEquals(bytes, out.limit());
        assertTrue(out.capacity() - out.limit() >= EvenPadder.TAIL);
        for (int i = 0; i < bytes; i += 997) {
            assertEquals(rgb.get(i), out.get(i), "byte " + i);
        }
        assertEquals(rgb.get(bytes - 1), out.get(bytes - 1));
    }

    @Test
    void oddPictureIsPaddedToEvenWithATail() {
        EvenPadder p = new EvenPadder(3, 3);
        ByteBuffer out = p.pad(picture(27, 27));
        assertEquals(4, p.paddedWidth());
        assertTrue(out.capacity() - 4 * 4 * 3 >= EvenPadder.TAIL);
    }
}

package dev.segment.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The scores of matrices worked out by hand (classes 0 and 15 of 21, 255 = void). */
class ConfusionMatrixTest {

    private static ConfusionMatrix counted(int truth, int predicted, int times, ConfusionMatrix m) {
        for (int i = 0; i < times; i++) {
            m.add(truth, predicted);
        }
        return m;
    }

    @Test
    void iouMeanOverClassesWithAUnionAndPixelAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(21);
        counted(0, 0, 90, m);
        counted(0, 15, 10, m);
        counted(15, 15, 30, m);
        counted(15, 0, 10, m);
        assertEquals(90.0 / 110, m.iou(0), 1e-12);
        assertEquals(30.0 / 50, m.iou(15), 1e-12);
        assertTrue(Double.isNaN(m.iou(3)), "a class with an empty union has no IoU");
        assertEquals((90.0 / 110 + 30.0 / 50) / 2, m.meanIou(), 1e-12);
        assertEquals(120.0 / 140, m.pixelAccuracy(), 1e-12);
    }

    @Test
    void oneImageAtATimeSkipsVoidAndAddsUpToTheWholeSet() {
        // image a: truth 0,15,255,15 against labels 0,15,15,0 (the void pixel is not counted)
        ConfusionMatrix a = new ConfusionMatrix(21);
        a.add(new byte[] {0, 15, (byte) 255, 15}, ByteBuffer.wrap(new byte[] {0, 15, 15, 0}));
        assertEquals(1, a.count(0, 0));
        assertEquals(1, a.count(15, 15));
        assertEquals(1, a.count(15, 0));
        assertEquals(2.0 / 3, a.pixelAccuracy(), 1e-12);
        // image b: one pixel of class 15 labelled 15
        ConfusionMatrix b = new ConfusionMatrix(21);
        b.add(new byte[] {15}, ByteBuffer.wrap(new byte[] {15}));
        ConfusionMatrix all = new ConfusionMatrix(21);
        all.add(a);
        all.add(b);
        assertEquals(2, all.count(15, 15));
        assertEquals(3.0 / 4, all.pixelAccuracy(), 1e-12);
        assertEquals((1.0 / 2 + 2.0 / 3) / 2, all.meanIou(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> all.add(new ConfusionMatrix(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> all.add(new byte[] {0, 0}, ByteBuffer.wrap(new byte[] {0})),
                "fewer labels than truth pixels");
    }
}

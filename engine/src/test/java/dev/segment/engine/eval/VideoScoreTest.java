package dev.segment.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The metrics on 2x2 frames worked out by hand (object class 7, 255 = void). */
class VideoScoreTest {
    private static ByteBuffer labels(int... ids) {
        ByteBuffer b = ByteBuffer.allocateDirect(ids.length);
        for (int id : ids) {
            b.put((byte) id);
        }
        return b.flip();
    }

    private static byte[] truth(int... ids) {
        byte[] t = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            t[i] = (byte) ids[i];
        }
        return t;
    }

    @Test
    void objectIouMiouAndFlickerMatchTheHandCount() {
        VideoScore s = new VideoScore(21, 7);
        // frame 0: the object is pixel 0; the labels also claim pixel 1 -> IoU 1/2
        s.add(labels(7, 7, 0, 0), 4, truth(7, 0, 0, 0));
        assertEquals(0.5, s.objectIou(), 1e-12);
        assertTrue(Double.isNaN(s.flicker()), "no flicker before a second frame");
        // frame 1: pixel 2 changes 0 -> 7 (1 of 4 pixels); the truth grows to pixel 1 and pixel 3 is void.
        // counted pixels 0..2: both 7 on 0 and 1, labels only on 2 -> IoU 2/3
        s.add(labels(7, 7, 7, 0), 4, truth(7, 7, 0, 255));
        // frame 2: nothing changes
        s.add(labels(7, 7, 7, 0), 4, truth(7, 7, 0, 255));
        assertEquals(3, s.frames());
        assertEquals((0.5 + 2.0 / 3 + 2.0 / 3) / 3, s.objectIou(), 1e-12);
        assertEquals((0.25 + 0) / 2, s.flicker(), 1e-12);
        // truth 0 -> 1: of the 3 pixels labelled in both, pixel 1 changed; 1 -> 2: none
        assertEquals((1.0 / 3 + 0) / 2, s.truthFlicker(), 1e-12);
        // confusion [truth][label]: (7,7) = 1 + 2 + 2, (0,7) = 1 + 1 + 1, (0,0) = 2; void pixel 3 not counted
        assertEquals(5, s.confusion().count(7, 7));
        assertEquals(3, s.confusion().count(0, 7));
        assertEquals(2, s.confusion().count(0, 0));
        assertEquals(5.0 / 8, s.confusion().iou(7), 1e-12);
        assertEquals(2.0 / 5, s.confusion().iou(0), 1e-12);
        assertEquals((5.0 / 8 + 2.0 / 5) / 2, s.meanIou(), 1e-12);
        assertEquals(7.0 / 10, s.pixelAccuracy(), 1e-12);
    }

    @Test
    void framesWithoutTheObjectDoNotVoteAndNoTruthMeansNoIou() {
        VideoScore s = new VideoScore(21, 7);
        s.add(labels(0, 0, 0, 15), 4, truth(0, 0, 0, 15));
        assertTrue(Double.isNaN(s.objectIou()), "the object is in neither truth nor labels");
        assertEquals(0, s.objectFrames());
        assertEquals(1.0, s.meanIou(), 1e-12);
        s.add(labels(7, 0, 0, 15), 4, truth(7, 0, 0, 15));
        assertEquals(1.0, s.objectIou(), 1e-12);
        assertEquals(0.25, s.flicker(), 1e-12);

        VideoScore noTruth = new VideoScore(21, -1);
        noTruth.add(labels(1, 1, 1, 1), 4, null);
        noTruth.add(labels(1, 2, 2, 1), 4, null);
        assertEquals(0.5, noTruth.flicker(), 1e-12);
        assertTrue(Double.isNaN(noTruth.meanIou()));
        assertTrue(Double.isNaN(noTruth.truthFlicker()));
        assertEquals(0, noTruth.truthFrames());
    }

    @Test
    void aChangeOfFrameSizeOrABadObjectIsRefused() {
        VideoScore s = new VideoScore(21, 7);
        s.add(labels(0, 0, 0, 0), 4, null);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> s.add(labels(0, 0, 0, 0, 0, 0), 6, null));
        assertTrue(e.getMessage().contains("6 pixels") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VideoScore(21, 21));
        assertThrows(IllegalArgumentException.class, () -> s.add(labels(0, 0, 0, 0), 4, truth(0, 0)));
    }

    /**
     * Ten frames of 4 pixels (plus a void one): the label of pixel 0 changes at frame 5 and holds; the truth of pixel 1
     * changes at frame 3. GT-masked flicker: 9 pairs x 4 pixels minus pixel 1's changing pair = 35 pairs whose truth
     * holds, 1 of them with a label change. VC_8: the three windows ending at frames 7, 8 and 9 all span both changes,
     * so each keeps pixels 0, 2 and 3 truth-consistent, of which 2 and 3 keep their label: 2/3. No window of 16.
     */
    @Test
    void maskedFlickerAndVideoConsistencyMatchTheHandCount() {
        VideoScore s = new VideoScore(21, -1, 8, 16);
        for (int f = 0; f < 10; f++) {
            int label0 = f < 5 ? 15 : 7;
            int truth1 = f < 3 ? 15 : 0;
            s.add(labels(label0, 15, 15, 0, 3), 5, truth(15, truth1, 15, 0, 255));
        }
        assertEquals(1 / 35.0, s.maskedFlicker(), 1e-12);
        assertEquals(2 / 3.0, s.consistency(8), 1e-12);
        assertTrue(Double.isNaN(s.consistency(16)), "no window of 16 frames in 10");
        assertThrows(IllegalArgumentException.class, () -> s.consistency(4));
    }

    /** A frame without truth ends the windows: those after it count only once they are whole again. */
    @Test
    void aFrameWithoutTruthBreaksTheWindows() {
        VideoScore s = new VideoScore(21, -1, 2);
        s.add(labels(1), 1, truth(1));
        s.add(labels(2), 1, truth(1)); // window (0,1): truth holds, label changes -> 0
        s.add(labels(2), 1, null);
        s.add(labels(2), 1, truth(1)); // no whole window yet
        s.add(labels(2), 1, truth(1)); // window (3,4): 1
        assertEquals(0.5, s.consistency(2), 1e-12);
        assertEquals(0.5, s.maskedFlicker(), 1e-12, "pairs (0,1) and (3,4), one label change");
    }
}

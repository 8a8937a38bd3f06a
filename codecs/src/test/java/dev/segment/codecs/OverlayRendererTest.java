package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Shared;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OverlayRendererTest {
    @Test
    void paletteHasTheStandardVocColours() {
        assertEquals(0x000000, VocPalette.rgb(0));
        assertEquals(0x800000, VocPalette.rgb(1));
        assertEquals(0x008000, VocPalette.rgb(2));
        assertEquals(0x808080, VocPalette.rgb(7));
        assertEquals(0xC08080, VocPalette.rgb(15));
        assertEquals(0x004080, VocPalette.rgb(20));
        assertEquals(0xE0E0C0, VocPalette.rgb(255));
        assertEquals("person", VocPalette.className(15));
        assertEquals("tvmonitor", VocPalette.className(20));
        assertEquals(21, VocPalette.classNames().size());
        assertEquals(256, VocPalette.colorModel().getMapSize());
    }

    @Test
    void paletteEqualsTheOneInTheOfficialVocMasks() throws Exception {
        Path mask = Shared.dir().resolve("data/voc/SegmentationClass/2007_000032.png");
        var cm = (java.awt.image.IndexColorModel)
                javax.imageio.ImageIO.read(mask.toFile()).getColorModel();
        assertEquals(256, cm.getMapSize());
        for (int i = 0; i < 256; i++) {
            assertEquals(cm.getRGB(i) & 0xFFFFFF, VocPalette.rgb(i), "palette entry " + i);
        }
    }

    @Test
    void blendIsExactlyTheRoundedMixAndLeavesBackgroundUnchanged() {
        int w = 37;
        int h = 23;
        Random random = new Random(7);
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        for (int i = 0; i < w * h * 3; i++) {
            rgb.put(i, (byte) random.nextInt(256));
        }
        for (int i = 0; i < w * h; i++) {
            labels.put(i, (byte) (i % 3 == 0 ? 0 : random.nextInt(21)));
        }
        for (double alpha : new double[] {0.0, 0.35, 0.5, 1.0}) {
            ByteBuffer out = ByteBuffer.allocate(w * h * 3);
            OverlayRenderer.plain(alpha, false, false).render(rgb, labels, w, h, out);
            for (int p = 0; p < w * h; p++) {
                int label = labels.get(p);
                int colour = VocPalette.rgb(label);
                for (int ch = 0; ch < 3; ch++) {
                    int v = rgb.get(p * 3 + ch) & 0xff;
                    int c = (colour >> (16 - 8 * ch)) & 0xff;
                    int expected = label == 0 ? v : (int) Math.round((1 - alpha) * v + alpha * c);
                    assertEquals(expected, out.get(p * 3 + ch) & 0xff, "alpha " + alpha + " pixel " + p);
                }
            }
        }
    }

    @Test
    void legendAppearsOnlyForClassesPresentInTheCornerItHidesLeastOf() {
        int w = 320;
        int h = 120;
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < w * h * 3; i++) {
            rgb.put(i, (byte) 100);
        }
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        ByteBuffer plain = ByteBuffer.allocate(w * h * 3);
        ByteBuffer withLegend = ByteBuffer.allocate(w * h * 3);
        OverlayRenderer legend = OverlayRenderer.plain(0.5, true, false);
        legend.render(rgb, labels, w, h, withLegend);
        assertEquals(rgb.rewind(), withLegend.rewind(), "only background: no legend");

        // a person in the top-left corner: the legend goes to the top right, the first corner it hides nothing in
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 100; x++) {
                labels.put(y * w + x, (byte) 15);
            }
        }
        OverlayRenderer.plain(0.5, false, false).render(rgb, labels, w, h, plain);
        legend.render(rgb, labels, w, h, withLegend);
        int whiteText = 0;
        int changedLeft = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if ((withLegend.get(i) & 0xff) == 255 && x >= w / 2 && y < h / 2) {
                    whiteText++;
                }
                if (x < w / 2 && withLegend.get(i) != plain.get(i)) {
                    changedLeft++;
                }
            }
        }
        assertTrue(whiteText > 20, "the word person is drawn top right, white pixels " + whiteText);
        assertEquals(0, changedLeft, "the person on the left is not covered");
        boolean personBox = false;
        for (int i = 0; i < w * h * 3; i += 3) {
            personBox |= (withLegend.get(i) & 0xff) == 0xC0
                    && (withLegend.get(i + 1) & 0xff) == 0x80
                    && (withLegend.get(i + 2) & 0xff) == 0x80
                    && (i / 3) % w >= w / 2;
        }
        assertTrue(personBox, "a box of the person colour in the legend");
    }

    /**
     * The outlined look's promise: inside a segment the picture changes by at least the stated distance, also where
     * the class colour is the picture's own (grey car colour on grey), and its contour changes it by more.
     */
    @Test
    void outlinedFillShowsOnItsOwnColourAndTheContourStandsOut() {
        int w = 64;
        int h = 48;
        for (int grey : new int[] {128, 20, 235}) {
            ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
            for (int i = 0; i < w * h * 3; i++) {
                rgb.put(i, (byte) grey);
            }
            ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
            for (int y = 12; y < 36; y++) {
                for (int x = 16; x < 48; x++) {
                    labels.put(y * w + x, (byte) 7); // car: VOC colour (128,128,128)
                }
            }
            ByteBuffer out = ByteBuffer.allocate(w * h * 3);
            OverlayRenderer.outlined(0.5, false, false).render(rgb, labels, w, h, out);
            ByteBuffer plain = ByteBuffer.allocate(w * h * 3);
            OverlayRenderer.plain(0.5, false, false).render(rgb, labels, w, h, plain);
            double interior = distance(rgb, out, (24 * w + 32) * 3);
            double edge = distance(rgb, out, (12 * w + 32) * 3);
            double halo = distance(rgb, out, (11 * w + 32) * 3);
            assertTrue(
                    interior >= OverlayRenderer.MIN_FILL_DISTANCE - 1,
                    "grey " + grey + ": interior moved " + interior + ", plain blend "
                            + distance(rgb, plain, (24 * w + 32) * 3));
            assertTrue(edge > interior, "grey " + grey + ": contour " + edge + " against interior " + interior);
            assertTrue(halo > 0 || grey == 0, "grey " + grey + ": halo outside the contour");
            assertEquals(0.0, distance(rgb, out, (2 * w + 2) * 3), "background far from the car is unchanged");
        }
    }

    /** Person pink on beige: the plain blend leaves it faint, the outlined fill at least the stated distance. */
    @Test
    void outlinedFillShowsPinkOnBeige() {
        int w = 40;
        int h = 40;
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < w * h * 3; i += 3) {
            rgb.put(i, (byte) 205).put(i + 1, (byte) 160).put(i + 2, (byte) 140);
        }
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        for (int i = 0; i < w * h; i++) {
            labels.put(i, (byte) 15);
        }
        ByteBuffer out = ByteBuffer.allocate(w * h * 3);
        ByteBuffer plain = ByteBuffer.allocate(w * h * 3);
        OverlayRenderer.outlined(0.5, false, false).render(rgb, labels, w, h, out);
        OverlayRenderer.plain(0.5, false, false).render(rgb, labels, w, h, plain);
        int centre = (20 * w + 20) * 3;
        assertTrue(distance(rgb, plain, centre) < 30, "the plain blend is faint here: " + distance(rgb, plain, centre));
        assertTrue(
                distance(rgb, out, centre) >= OverlayRenderer.MIN_FILL_DISTANCE - 1,
                "outlined: " + distance(rgb, out, centre));
        assertTrue((out.get(centre) & 0xff) - (out.get(centre + 1) & 0xff) > 205 - 160, "pinker, not just darker");
    }

    @Test
    void classNamesAreWrittenOnLargeSegmentsOnly() {
        int w = 320;
        int h = 240;
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        for (int y = 100; y < 220; y++) {
            for (int x = 20; x < 140; x++) {
                labels.put(y * w + x, (byte) 12); // a large dog
            }
        }
        for (int y = 10; y < 14; y++) {
            for (int x = 300; x < 304; x++) {
                labels.put(y * w + x, (byte) 5); // a tiny bottle
            }
        }
        ByteBuffer named = ByteBuffer.allocate(w * h * 3);
        ByteBuffer bare = ByteBuffer.allocate(w * h * 3);
        OverlayRenderer.outlined(0.5, false, true).render(rgb, labels, w, h, named);
        OverlayRenderer.outlined(0.5, false, false).render(rgb, labels, w, h, bare);
        int inDog = 0;
        int elsewhere = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (named.get(i) != bare.get(i)) {
                    if (x >= 20 && x < 140 && y >= 100 && y < 220) {
                        inDog++;
                    } else {
                        elsewhere++;
                    }
                }
            }
        }
        assertTrue(inDog > 100, "the name is written on the dog: " + inDog + " pixels");
        assertEquals(0, elsewhere, "nothing written on the bottle or the background");
    }

    private static double distance(ByteBuffer a, ByteBuffer b, int i) {
        double d = 0;
        for (int ch = 0; ch < 3; ch++) {
            double x = (a.get(i + ch) & 0xff) - (b.get(i + ch) & 0xff);
            d += x * x;
        }
        return Math.sqrt(d);
    }

    /**
     * The legend must stay readable when a video is watched full screen and on a small one: its letters keep about
     * the height of a subtitle line (2.5-4% of the frame) and at least 14 pixels, from 240 to 2160 lines, measured on the rendered pixels of the word "dog"
     * (whose d and g span the font's full height).
     */
    @Test
    void legendLettersScaleWithTheFrameHeight() {
        for (int h : new int[] {240, 432, 720, 1080, 2160}) {
            int w = (h * 16 / 9) & ~1;
            ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
            for (int i = 0; i < w * h * 3; i++) {
                rgb.put(i, (byte) 90);
            }
            ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
            for (int y = h / 2; y < h; y++) {
                for (int x = w / 2; x < w; x++) {
                    labels.put(y * w + x, (byte) 12);
                }
            }
            ByteBuffer out = ByteBuffer.allocateDirect(w * h * 3);
            OverlayRenderer.outlined(0.5, true, false).render(rgb, labels, w, h, out);
            int top = Integer.MAX_VALUE;
            int bottom = -1;
            int right = -1;
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w / 2; x++) {
                    int i = (y * w + x) * 3;
                    if ((out.get(i) & 0xff) == 255
                            && (out.get(i + 1) & 0xff) == 255
                            && (out.get(i + 2) & 0xff) == 255) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        right = Math.max(right, x);
                    }
                }
            }
            assertTrue(bottom >= 0, h + " lines: the legend's text is drawn");
            int px = bottom - top + 1;
            double letter = px / (double) h;
            assertTrue(
                    px == 14 || px > 14 && letter >= 0.025 && letter <= 0.04,
                    h
                            + " lines: letters are " + px + " pixels high, " + String.format("%.1f%%", 100 * letter)
                            + " of the frame (want 2.5-4%, at least 14 px)");
            assertTrue(right < w / 4, h + " lines: the legend stays in the corner, text ends at x = " + right);
        }
    }

    @Test
    void renderAllocatesNothingPerFrame() {
        int w = 320;
        int h = 240;
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        for (int i = 0; i < w * h; i++) {
            labels.put(i, (byte) (i % 21));
        }
        ByteBuffer out = ByteBuffer.allocateDirect(w * h * 3);
        OverlayRenderer renderer = OverlayRenderer.outlined(0.5, true, true);
        for (int i = 0; i < 200; i++) {
            renderer.render(rgb, labels, w, h, out);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 50; i++) {
            renderer.render(rgb, labels, w, h, out);
        }
        long perFrame = (threads.getThreadAllocatedBytes(id) - before) / 50;
        assertTrue(perFrame < 64, "allocated " + perFrame + " bytes per frame");
    }

    @Test
    void rejectsBadAlphaAndShortBuffers() {
        assertThrows(IllegalArgumentException.class, () -> OverlayRenderer.plain(1.5, false, false));
        assertThrows(IllegalArgumentException.class, () -> OverlayRenderer.outlined(-0.1, false, false));
        OverlayRenderer r = OverlayRenderer.outlined(0.5, false, false);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> r.render(ByteBuffer.allocate(10), ByteBuffer.allocate(4), 2, 2, ByteBuffer.allocate(12)));
        assertTrue(e.getMessage().contains("rgb"), e.getMessage());
    }
}

package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import dev.segment.codecs.support.Media;
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
        Path mask = Media.shared().resolve("data/voc/SegmentationClass/2007_000032.png");
        var cm = (java.awt.image.IndexColorModel) javax.imageio.ImageIO.read(mask.toFile()).getColorModel();
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
            new OverlayRenderer(alpha, false).render(rgb, labels, w, h, out);
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
    void legendAppearsOnlyForClassesPresent() {
        int w = 160;
        int h = 120;
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < w * h * 3; i++) {
            rgb.put(i, (byte) 100);
        }
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        ByteBuffer plain = ByteBuffer.allocate(w * h * 3);
        ByteBuffer withLegend = ByteBuffer.allocate(w * h * 3);
        OverlayRenderer legend = new OverlayRenderer(0.5, true);
        legend.render(rgb, labels, w, h, withLegend);
        assertEquals(rgb.rewind(), withLegend.rewind(), "only background: no legend");

        for (int y = 60; y < 120; y++) {
            for (int x = 80; x < 160; x++) {
                labels.put(y * w + x, (byte) 15);
            }
        }
        new OverlayRenderer(0.5, false).render(rgb, labels, w, h, plain);
        legend.render(rgb, labels, w, h, withLegend);
        int colourBoxPixel = (5 * w + 4) * 3;
        assertEquals(0xC0, withLegend.get(colourBoxPixel) & 0xff, "person colour box");
        assertNotEquals(plain.get(colourBoxPixel), withLegend.get(colourBoxPixel));
        int whiteText = 0;
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 80; x++) {
                if ((withLegend.get((y * w + x) * 3) & 0xff) == 255) {
                    whiteText++;
                }
            }
        }
        assertTrue(whiteText > 20, "the word person is drawn, white pixels " + whiteText);
        for (int i = (20 * w) * 3; i < w * h * 3; i++) {
            assertEquals(plain.get(i), withLegend.get(i), "below the legend nothing changes");
        }
    }

    /**
     * The legend must stay readable when a video is watched full screen: its letters keep about the height of a
     * subtitle line (2.5-4% of the frame) from 240 to 2160 lines, measured on the rendered pixels of the word "dog"
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
            new OverlayRenderer(0.5, true).render(rgb, labels, w, h, out);
            int top = Integer.MAX_VALUE;
            int bottom = -1;
            int right = -1;
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w / 2; x++) {
                    int i = (y * w + x) * 3;
                    if ((out.get(i) & 0xff) == 255 && (out.get(i + 1) & 0xff) == 255 && (out.get(i + 2) & 0xff) == 255) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        right = Math.max(right, x);
                    }
                }
            }
            assertTrue(bottom >= 0, h + " lines: the legend's text is drawn");
            double letter = (bottom - top + 1) / (double) h;
            assertTrue(letter >= 0.025 && letter <= 0.04, h + " lines: letters are " + (bottom - top + 1)
                    + " pixels high, " + String.format("%.1f%%", 100 * letter) + " of the frame (want 2.5-4%)");
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
        OverlayRenderer renderer = new OverlayRenderer(0.5, true);
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
        assertThrows(IllegalArgumentException.class, () -> new OverlayRenderer(1.5, false));
        OverlayRenderer r = new OverlayRenderer(0.5, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.render(ByteBuffer.allocate(10), ByteBuffer.allocate(4), 2, 2, ByteBuffer.allocate(12)));
        assertTrue(e.getMessage().contains("rgb"), e.getMessage());
    }
}

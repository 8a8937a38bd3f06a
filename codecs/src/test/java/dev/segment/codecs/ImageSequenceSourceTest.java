package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Photos as frames: exact RGB, one epoch per photo, sizes that change, errors that name the file. */
class ImageSequenceSourceTest {
    @TempDir
    Path dir;

    @Test
    void everyPhotoIsANewEpochWithItsOwnSizeAndExactPixels() throws Exception {
        Path a = png("a.png", 7, 5, 0x102030);
        Path b = png("b.png", 4, 9, 0xA0B0C0);
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 200);
        Path c = dir.resolve("c.png");
        ImageIO.write(gray, "png", c.toFile());
        try (ImageSequenceSource source = new ImageSequenceSource(List.of(a, b, c))) {
            VideoInfo info = source.open();
            assertEquals(7, info.width());
            assertEquals(5, info.height());
            assertEquals(3, info.frameCount());
            assertFalse(info.live(), "files: the pipeline blocks, never drops a photo");
            VideoFrame f = new VideoFrame(1, 1);
            int[][] expected = {{7, 5, 0x10, 0x20, 0x30}, {4, 9, 0xA0, 0xB0, 0xC0}, {3, 2, 0, 0, 0}};
            for (int i = 0; i < 3; i++) {
                assertTrue(source.read(f));
                assertEquals(i, f.epoch(), "photo " + i + " starts a new epoch (no CRF warm start across photos)");
                assertEquals(expected[i][0], f.width());
                assertEquals(expected[i][1], f.height());
                ByteBuffer rgb = f.rgb();
                assertEquals(expected[i][2], rgb.get(0) & 0xff);
                assertEquals(expected[i][3], rgb.get(1) & 0xff);
                assertEquals(expected[i][4], rgb.get(2) & 0xff);
                assertEquals(i * 1_000_000L, f.ptsMicros());
            }
            int p = (1 * 3 + 1) * 3;
            assertEquals(200, f.rgb().get(p) & 0xff, "a grey photo becomes equal R, G and B");
            assertEquals(200, f.rgb().get(p + 2) & 0xff);
            assertFalse(source.read(f));
        }
    }

    @Test
    void aFileThatIsNotAnImageIsNamed() throws Exception {
        Path good = png("good.png", 2, 2, 0);
        Path bad = Files.writeString(dir.resolve("bad.jpg"), "not a jpeg");
        try (ImageSequenceSource source = new ImageSequenceSource(List.of(good, bad))) {
            source.open();
            VideoFrame f = new VideoFrame(1, 1);
            assertTrue(source.read(f));
            SourceException e = assertThrows(SourceException.class, () -> source.read(f));
            assertTrue(e.getMessage().contains("bad.jpg"), e.getMessage());
        }
        SourceException missing = assertThrows(
                SourceException.class, () -> new ImageSequenceSource(List.of(dir.resolve("gone.png"))).open());
        assertEquals(SourceException.Kind.NOT_FOUND, missing.kind());
    }

    private Path png(String name, int w, int h, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}

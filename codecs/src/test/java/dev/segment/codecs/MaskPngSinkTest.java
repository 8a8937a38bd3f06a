package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.support.TestFrame;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskPngSinkTest {
    @TempDir
    Path dir;

    @Test
    void writesIndexedPngsThatReadBackWithTheSameClassIds() throws Exception {
        int w = 33;
        int h = 17;
        VideoFrame input = new VideoFrame(w, h);
        input.resize(w, h);
        ByteBuffer labels = ByteBuffer.allocateDirect(w * h);
        Path masks = dir.resolve("out/masks");
        try (MaskPngSink sink = new MaskPngSink(masks)) {
            sink.open(new VideoInfo(w, h, 10, 2, 0, 0, false, "test"));
            for (int f = 0; f < 2; f++) {
                for (int i = 0; i < w * h; i++) {
                    labels.put(i, (byte) ((i + f) % 21 == 20 && f == 1 ? 255 : (i + f) % 21));
                }
                sink.write(new TestFrame(input).set(f, null, labels));
            }
        }
        for (int f = 0; f < 2; f++) {
            Path png = masks.resolve(String.format("frame_%06d.png", f));
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(w, img.getWidth());
            assertEquals(h, img.getHeight());
            assertTrue(img.getColorModel() instanceof IndexColorModel, "palette PNG");
            IndexColorModel cm = (IndexColorModel) img.getColorModel();
            assertEquals(VocPalette.rgb(15), cm.getRGB(15) & 0xFFFFFF);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int expected = (i + f) % 21 == 20 && f == 1 ? 255 : (i + f) % 21;
                    assertEquals(expected, img.getRaster().getSample(x, y, 0), "frame " + f + " at " + x + "," + y);
                }
            }
        }
        try (var files = Files.list(masks)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void directoryThatCannotBeCreatedIsNamedInTheError() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a directory");
        SinkException e = assertThrows(
                SinkException.class,
                () -> new MaskPngSink(blocker.resolve("masks")).open(new VideoInfo(4, 4, 10, 1, 0, 0, false, "t")));
        assertTrue(e.getMessage().contains(blocker.resolve("masks").toString()), e.getMessage());
    }
}

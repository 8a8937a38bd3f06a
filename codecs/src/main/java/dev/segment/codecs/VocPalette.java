package dev.segment.codecs;

import java.awt.image.IndexColorModel;
import java.util.List;

/**
 * The PASCAL VOC 2012 classes and colour map: ids 0..20 are the classes below, and the full 256-entry palette is the
 * bit-interleaved one of the VOC devkit (bit k of the id's bits 0, 1, 2 -> bit 7-k of red, green, blue; 255, the
 * "void" border, is (224, 224, 192)).
 */
public final class VocPalette {
    /** Number of VOC classes, background included. */
    public static final int CLASS_COUNT = 21;

    private static final List<String> NAMES = List.of(
            "background",
            "aeroplane",
            "bicycle",
            "bird",
            "boat",
            "bottle",
            "bus",
            "car",
            "cat",
            "chair",
            "cow",
            "diningtable",
            "dog",
            "horse",
            "motorbike",
            "person",
            "pottedplant",
            "sheep",
            "sofa",
            "train",
            "tvmonitor");

    private VocPalette() {}

    /** Class names indexed by id (0 = background). */
    public static List<String> classNames() {
        return NAMES;
    }

    /** The class name of {@code id}, "void" for 255, "class N" for other unknown ids. */
    public static String className(int id) {
        if (id >= 0 && id < CLASS_COUNT) {
            return NAMES.get(id);
        }
        return id == 255 ? "void" : "class " + id;
    }

    /** Palette colour of a label value 0..255 as 0xRRGGBB. */
    public static int rgb(int id) {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("label must be 0..255, got " + id);
        }
        int r = 0;
        int g = 0;
        int b = 0;
        int c = id;
        for (int j = 0; j < 8; j++) {
            r |= ((c) & 1) << (7 - j);
            g |= ((c >> 1) & 1) << (7 - j);
            b |= ((c >> 2) & 1) << (7 - j);
            c >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    /** An 8-bit indexed colour model with the 256 palette entries, for VOC-style PNG masks. */
    public static IndexColorModel colorModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = rgb(i);
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}

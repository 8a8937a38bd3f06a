package dev.segment.engine.eval;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of per-frame truth masks: palette or grey PNGs whose pixel values are class ids (255 = void).
 *
 * <p>Two layouts: when every PNG is named by a number ({@code 00000.png}, {@code 00001.png}..., as DAVIS and
 * {@code testing/make_pan_clip.sh} write them), frame k's mask is the one numbered k; otherwise frame k's is the k-th
 * PNG in name order.
 */
public final class TruthMasks {
    private final Path dir;
    private final Map<Long, Path> numbered;
    private final List<Path> ordered;
    private final Map<Long, byte[]> loaded = new java.util.HashMap<>();
    private int loadedWidth;
    private int loadedHeight;

    private TruthMasks(Path dir, Map<Long, Path> numbered, List<Path> ordered) {
        this.dir = dir;
        this.numbered = numbered;
        this.ordered = ordered;
    }

    /** Lists the folder; fails when it is missing or holds no PNG. */
    public static TruthMasks open(Path dir) throws IOException {
        List<Path> pngs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName()
                            .toString()
                            .toLowerCase(java.util.Locale.ROOT)
                            .endsWith(".png"))
                    .sorted()
                    .forEach(pngs::add);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(dir.toString(), null, "truth folder not found");
        }
        if (pngs.isEmpty()) {
            throw new IOException(dir + ": no PNG truth masks in the folder");
        }
        Map<Long, Path> numbered = new TreeMap<>();
        for (Path p : pngs) {
            String stem = p.getFileName().toString().replaceFirst("(?i)\\.png$", "");
            if (!stem.matches("[0-9]{1,18}")) {
                return new TruthMasks(dir, null, List.copyOf(pngs));
            }
            Path clash = numbered.put(Long.parseLong(stem), p);
            if (clash != null) {
                throw new IOException(dir + ": " + clash.getFileName() + " and " + p.getFileName()
                        + " are both the mask of frame " + Long.parseLong(stem));
            }
        }
        return new TruthMasks(dir, numbered, null);
    }

    public Path dir() {
        return dir;
    }

    /** The mask file of frame {@code k} (0-based, in the clip), or null if the folder has none. */
    public Path file(long k) {
        if (numbered != null) {
            return numbered.get(k);
        }
        return k >= 0 && k < ordered.size() ? ordered.get((int) k) : null;
    }

    /** How the folder maps frames to files, for reports. */
    public String layout() {
        return numbered != null
                ? numbered.size() + " masks named by frame number"
                : ordered.size() + " masks, the k-th in name order for frame k";
    }

    /** The class ids present in frame {@code k}'s mask (void 255 included if present). */
    public java.util.SortedSet<Integer> classesIn(long k) throws IOException {
        Path file = file(k);
        if (file == null) {
            throw new NoSuchFileException(dir.toString(), null, "no truth mask for frame " + k + " (" + layout() + ")");
        }
        Raster raster = raster(file);
        java.util.SortedSet<Integer> present = new java.util.TreeSet<>();
        int[] row = new int[raster.getWidth()];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, raster.getWidth(), 1, 0, row);
            for (int v : row) {
                present.add(v);
            }
        }
        return present;
    }

    /**
     * Decodes the masks of frames {@code first..last} now (those that exist, while they fit in {@code budgetBytes}),
     * so that {@link #read} hands out copies instead of decoding PNGs while a pipeline is being timed.
     *
     * @return the number of masks held
     */
    public int preload(long first, long last, int width, int height, long budgetBytes) throws IOException {
        loaded.clear();
        loadedWidth = width;
        loadedHeight = height;
        long bytes = 0;
        for (long k = first; k <= last && file(k) != null; k++) {
            bytes += (long) width * height;
            if (bytes > budgetBytes) {
                break;
            }
            loaded.put(k, read(k, width, height));
        }
        return loaded.size();
    }

    /**
     * Frame {@code k}'s mask as one class id per pixel, row-major.
     *
     * @throws IOException naming the folder and frame when there is no mask, or the file when it is unreadable, of
     *                     another size, or not a single-band (palette or grey) image
     */
    public byte[] read(long k, int width, int height) throws IOException {
        byte[] held = loaded.get(k);
        if (held != null && width == loadedWidth && height == loadedHeight) {
            return held.clone();
        }
        Path file = file(k);
        if (file == null) {
            throw new NoSuchFileException(dir.toString(), null, "no truth mask for frame " + k + " (" + layout() + ")");
        }
        return read(file, width, height);
    }

    /**
     * One mask file as one class id per pixel, row-major: a palette or grey PNG whose pixel values are class ids
     * (255 = void, which {@link ConfusionMatrix} does not count).
     *
     * @throws IOException naming the file when it is unreadable, of another size than {@code width x height}, or not
     *                     a single-band (palette or grey) image
     */
    public static byte[] read(Path file, int width, int height) throws IOException {
        Raster raster = raster(file);
        if (raster.getWidth() != width || raster.getHeight() != height) {
            throw new IOException(file + ": mask is " + raster.getWidth() + "x" + raster.getHeight() + ", the frame is "
                    + width + "x" + height);
        }
        int[] row = new int[width];
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                out[y * width + x] = (byte) row[x];
            }
        }
        return out;
    }

    /** The pixel values of a mask file: its one band, refused when the file is not a palette or grey image. */
    private static Raster raster(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not a readable PNG mask");
        }
        Raster raster = img.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IOException(file + ": a mask must be a palette or grey PNG holding class ids, this one has "
                    + raster.getNumBands() + " bands");
        }
        return raster;
    }
}

package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment convert} on real photos: one photo to one image, a directory and a pattern to a directory, with
 * masks and statistics, through the same pipeline, model and CRF as video. The labels are checked against what the
 * graph itself predicts for these photos ({@code ../shared/data/expected}, decoded with PIL: a different JPEG decoder
 * moves a few boundary pixels), and every photo of a folder must start the CRF cold (no warm start across photos).
 */
@ModelTest
@SystemTest
class ConvertImagesTest {
    private static final int DOG = 12;
    private static final int HORSE = 13;
    private static final int PERSON = 15;

    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path photos;

    @BeforeAll
    static void setUp() throws Exception {
        model = Segment.holdModel();
        photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(image("deeplab_image2_dog.jpg"), photos.resolve("dog.jpg"));
        Files.copy(image("deeplab_image3_person_horse.jpg"), photos.resolve("person_horse.jpg"));
        Files.copy(Shared.dir().resolve("data/voc/JPEGImages/2007_000032.jpg"), photos.resolve("voc_32.jpg"));
        // a PNG (written from a real photo) and a file that is not an image: the pattern *.jpg skips the first, the
        // directory reads it, and both skip the second
        BufferedImage png =
                ImageIO.read(image("deeplab_image1_person_bicycle.jpg").toFile());
        ImageIO.write(png, "png", photos.resolve("person_bicycle.png").toFile());
        Files.writeString(photos.resolve("notes.txt"), "not an image\n");
        // the same size as dog.jpg and read right after it: only the reset per photo keeps the CRF from
        // warm-starting the horse from the dog (a size change resets it anyway)
        BufferedImage horse =
                ImageIO.read(image("deeplab_image3_person_horse.jpg").toFile());
        ImageIO.write(
                horse.getSubimage(0, 0, 500, 358),
                "png",
                photos.resolve("dog_horse_crop.png").toFile());
    }

    @AfterAll
    static void release() {
        model.close();
    }

    private static Path image(String name) {
        return Shared.dir().resolve("data/images").resolve(name);
    }

    @Test
    void onePhotoToAPngWithItsMaskMatchingWhatTheGraphPredicts() throws Exception {
        Path out = dir.resolve("single/dog.png");
        Path masks = dir.resolve("single-masks");
        Segment.Result r = convert(
                image("deeplab_image2_dog.jpg").toString(),
                out.toString(),
                "--masks",
                masks.toString(),
                "--legend",
                "off");
        assertEquals(0, r.exitCode(), r.toString());
        BufferedImage input = ImageIO.read(image("deeplab_image2_dog.jpg").toFile());
        BufferedImage overlay = ImageIO.read(out.toFile());
        assertEquals(input.getWidth(), overlay.getWidth());
        assertEquals(input.getHeight(), overlay.getHeight());
        byte[] labels = Masks.read(masks.resolve("deeplab_image2_dog.png"), input.getWidth(), input.getHeight());
        double agree = agreement(labels, expected("deeplab_image2_dog"), input);
        assertTrue(agree > 0.99, "labels agree with the graph's own prediction on " + percent(agree));
        // the overlay is the photo with the class colour blended over the dog's pixels, the background unchanged
        int dogPixel = firstPixelOf(labels, DOG);
        int bgPixel = firstPixelOf(labels, 0);
        int w = input.getWidth();
        assertNotEquals(input.getRGB(dogPixel % w, dogPixel / w), overlay.getRGB(dogPixel % w, dogPixel / w));
        assertEquals(
                input.getRGB(bgPixel % w, bgPixel / w),
                overlay.getRGB(bgPixel % w, bgPixel / w),
                "PNG output is lossless: background pixels keep the photo's values");
    }

    @Test
    void aFolderWithTheCrfStartsEveryPhotoColdAndKeepsTheirNames() throws Exception {
        Path out = dir.resolve("folder-out");
        Path masks = dir.resolve("folder-masks");
        Path stats = dir.resolve("folder.jsonl");
        // scene-cut detection off: it would catch most changes of photo, but not a series of similar shots
        Path noCuts = Files.writeString(dir.resolve("no-scene-cuts.yaml"), "crf: {sceneCutThreshold: 1.0}\n");
        Segment.Result r = convert(
                photos.toString(),
                out.toString(),
                "--masks",
                masks.toString(),
                "--stats",
                stats.toString(),
                "--crf",
                "on",
                "--config",
                noCuts.toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> names =
                List.of("dog.jpg", "dog_horse_crop.png", "person_bicycle.png", "person_horse.jpg", "voc_32.jpg");
        for (String name : names) {
            assertTrue(Files.isRegularFile(out.resolve(name)), "overlay " + name + " in " + out);
        }
        assertFalse(Files.exists(out.resolve("notes.txt")));
        List<String> lines = Files.readAllLines(stats);
        assertEquals(names.size(), lines.size(), "one statistics line per photo");
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode frame = json.readTree(line);
            assertFalse(frame.get("crf_warm").asBoolean(), "photo " + frame.get("frame") + " warm-started: " + line);
            assertEquals(5, frame.get("crf_iterations").asInt(), "cold iterations on every photo: " + line);
        }
        // with the CRF, boundaries move a little; the objects must be the ones in the photos
        BufferedImage dog = ImageIO.read(photos.resolve("dog.jpg").toFile());
        byte[] dogLabels = Masks.read(masks.resolve("dog.png"), dog.getWidth(), dog.getHeight());
        assertTrue(agreement(dogLabels, expected("deeplab_image2_dog"), dog) > 0.95);
        BufferedImage horse = ImageIO.read(photos.resolve("person_horse.jpg").toFile());
        byte[] horseLabels = Masks.read(masks.resolve("person_horse.png"), horse.getWidth(), horse.getHeight());
        assertTrue(agreement(horseLabels, expected("deeplab_image3_person_horse"), horse) > 0.95);
        long[] h = Masks.histogram(horseLabels);
        assertTrue(
                h[HORSE] > 0.05 * horseLabels.length && h[PERSON] > 0.01 * horseLabels.length,
                "a horse and a person: " + h[HORSE] + " and " + h[PERSON] + " pixels");
        BufferedImage bike = ImageIO.read(photos.resolve("person_bicycle.png").toFile());
        long[] b = Masks.histogram(Masks.read(masks.resolve("person_bicycle.png"), bike.getWidth(), bike.getHeight()));
        assertTrue(b[PERSON] > 0 && b[2] > 0, "a person and a bicycle: " + b[PERSON] + " and " + b[2] + " pixels");
    }

    @Test
    void aPatternReadsOnlyTheFilesItMatches() throws Exception {
        Path out = dir.resolve("glob-out");
        Segment.Result r = convert(photos + "/*.jpg", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        try (var files = Files.list(out)) {
            assertEquals(
                    List.of("dog.jpg", "person_horse.jpg", "voc_32.jpg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(ImageIO.read(out.resolve("voc_32.jpg").toFile()) != null, "a readable JPEG");
    }

    @Test
    void anImageOutputForAVideoIsAUsageError() throws Exception {
        Path clip = Ffmpeg.cut(Shared.peopleVideo(), 80, 2, dir.resolve("clip.mp4"));
        Path out = dir.resolve("frame.png");
        Segment.Result r = convert(clip.toString(), out.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("frame.png") && r.err().contains(".mp4 or .mkv"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aVideoOutputForPhotosIsAUsageError() throws Exception {
        Segment.Result r = convert(photos.toString(), dir.resolve("photos.mp4").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("output directory"), r.err());
    }

    @Test
    void writingIntoTheInputFolderIsRefused() throws Exception {
        Segment.Result r = convert(photos.toString(), photos.toString());
        assertEquals(ExitCodes.OUTPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("overwrite an input image"), r.err());
    }

    private static Segment.Result convert(String... args) throws InterruptedException {
        String[] all = new String[args.length + 4];
        all[0] = "convert";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--model";
        all[args.length + 2] = Shared.model().toString();
        all[args.length + 3] = "--no-progress";
        return Segment.run(all);
    }

    private static byte[] expected(String name) throws Exception {
        Path png = Shared.dir().resolve("data/expected").resolve(name + ".dm05.png");
        BufferedImage e = ImageIO.read(png.toFile());
        return Masks.read(png, e.getWidth(), e.getHeight());
    }

    private static double agreement(byte[] labels, byte[] expected, BufferedImage image) {
        assertEquals(image.getWidth() * image.getHeight(), expected.length, "expected mask has the photo's size");
        int same = 0;
        for (int i = 0; i < labels.length; i++) {
            same += labels[i] == expected[i] ? 1 : 0;
        }
        return same / (double) labels.length;
    }

    private static int firstPixelOf(byte[] labels, int label) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                return i;
            }
        }
        throw new AssertionError("no pixel of class " + label);
    }

    private static String percent(double f) {
        return String.format("%.2f%%", 100 * f);
    }
}

package dev.segment.codecs.preview;

import dev.segment.codecs.VocPalette;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the browser preview page shows beside the overlay, as the running pipeline measured it; served as JSON at
 * {@code /figures.json} by {@link MjpegHttpSink#showFigures}. Null numbers mean "not measured yet".
 *
 * @param fpsIn        frames per second read from the source (written, dropped and in flight)
 * @param fpsOut       frames per second written to the outputs
 * @param framesIn     frames read so far
 * @param framesOut    frames written so far
 * @param dropped      live frames dropped at the source so far, to keep up with the camera
 * @param latencyP50Ms capture-to-output latency over the run, median
 * @param latencyP99Ms the same, 99th percentile
 * @param classes      the classes in view on the last frame, largest first
 * @param crf          what the CRF did on the last frame
 * @param keyframe     whether the last frame had the model's own scores, and the counts so far
 * @param connected    whether the live source is connected; null for a file
 * @param reconnects   reconnections after a lost stream so far
 */
public record PreviewFigures(
        Double fpsIn,
        Double fpsOut,
        long framesIn,
        long framesOut,
        long dropped,
        Double latencyP50Ms,
        Double latencyP99Ms,
        List<ClassShare> classes,
        Crf crf,
        Keyframe keyframe,
        Boolean connected,
        long reconnects) {

    /**
     * A class is "in view" from this share of the frame's pixels on: the window's legend and the page list the same
     * classes.
     */
    public static final double IN_VIEW = 0.002;

    /**
     * One class in view.
     *
     * @param id    VOC class id
     * @param name  its name
     * @param color its palette colour, {@code #rrggbb}
     * @param share its share of the frame's pixels, 0..1
     */
    public record ClassShare(int id, String name, String color, double share) {}

    /**
     * The CRF on the last frame.
     *
     * @param on         whether it ran
     * @param gridWidth  width of the grid it refined on
     * @param gridHeight its height
     * @param iterations mean-field iterations run
     * @param warm       whether it started from the previous frame
     */
    public record Crf(boolean on, int gridWidth, int gridHeight, int iterations, boolean warm) {}

    /**
     * The keyframe state.
     *
     * @param model         the last frame has the model's own scores
     * @param reason        why the model ran on it, or {@code carried}
     * @param modelFrames   frames the model ran on so far
     * @param carriedFrames frames whose scores were carried along the motion so far
     */
    public record Keyframe(boolean model, String reason, long modelFrames, long carriedFrames) {}

    /** The classes in view ({@link #IN_VIEW} or more of the pixels), largest first; ids beyond VOC's are skipped. */
    public static List<ClassShare> classesInView(long[] classPixels, long pixels) {
        List<ClassShare> in = new ArrayList<>();
        int n = Math.min(classPixels.length, VocPalette.CLASS_COUNT);
        long min = ClassCounter.minPixels(IN_VIEW, pixels);
        for (int id = 0; id < n && pixels > 0; id++) {
            if (classPixels[id] >= min) {
                in.add(new ClassShare(
                        id,
                        VocPalette.className(id),
                        String.format(Locale.ROOT, "#%06x", VocPalette.rgb(id)),
                        (double) classPixels[id] / pixels));
            }
        }
        in.sort(Comparator.comparingDouble(ClassShare::share).reversed());
        return List.copyOf(in);
    }
}

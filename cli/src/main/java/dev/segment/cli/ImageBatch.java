package dev.segment.cli;

import dev.segment.codecs.ImageFileSink;
import dev.segment.codecs.ImageSequenceSource;
import dev.segment.codecs.SinkException;
import dev.segment.codecs.SourceException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The photos one {@code segment convert} reads and the overlay file written for each: {@code photo.jpg out.png}
 * (one image to one image, or into an existing directory), {@code DIR OUT_DIR} (every image directly in DIR, by
 * name), {@code 'DIR/*.jpg' OUT_DIR} (a pattern in the last path element, as the JDK's glob syntax reads it) or
 * {@code a.jpg b.png ... OUT_DIR} (what a shell makes of an unquoted pattern). In a directory, each overlay keeps
 * its photo's file name (PNG for formats other than PNG, JPEG and BMP); the mask of a photo, if asked for, is
 * named after the photo with the extension .png.
 *
 * @param inputs   the photos, in the order they are read
 * @param overlays the overlay file of each photo
 * @param output   the output as given (a file or a directory)
 */
record ImageBatch(List<Path> inputs, List<Path> overlays, Path output) {

    /** A command line that asks for images but gets something else: a usage error (exit 2). */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    /** True when the arguments name photos (an image file, a directory, a pattern or several files). */
    static boolean wanted(List<String> inputs) {
        if (inputs.size() > 1) {
            return true;
        }
        String in = inputs.get(0);
        if (isUrl(in)) {
            return false;
        }
        Path p = Path.of(in);
        return Files.isDirectory(p) || (!Files.exists(p) && isPattern(in)) || ImageSequenceSource.isImageName(in);
    }

    /** The batch for {@code inputs} (at least one) and {@code output}. */
    static ImageBatch plan(List<String> inputs, String output) throws UsageError, SourceException, SinkException {
        List<Path> photos = new ArrayList<>();
        boolean many = inputs.size() > 1;
        for (String in : inputs) {
            Path p = Path.of(in);
            if (Files.isDirectory(p)) {
                photos.addAll(list(p, "*", in));
                many = true;
            } else if (!Files.exists(p) && isPattern(in)) {
                photos.addAll(matching(in));
                many = true;
            } else if (!ImageSequenceSource.isImageName(in)) {
                throw new UsageError(in + ": not an image name (readable: "
                        + String.join(", ", ImageSequenceSource.readableSuffixes()) + "); a video is converted on"
                        + " its own: segment convert VIDEO OUT.mp4");
            } else {
                photos.add(p);
            }
        }
        Path out = Path.of(output);
        List<Path> overlays = new ArrayList<>();
        if (!many && !Files.isDirectory(out)) {
            if (ImageFileSink.formatOf(out) == null) {
                throw new UsageError(output + ": an image input writes an image: give an output ending in .png,"
                        + " .jpg or .jpeg (or a directory)");
            }
            overlays.add(out);
        } else {
            if (ImageFileSink.formatOf(out) != null || isVideoName(output)) {
                throw new UsageError(output + ": several images need an output directory, not a file");
            }
            Set<Path> used = new HashSet<>();
            for (Path photo : photos) {
                Path target = out.resolve(outputName(photo, false));
                if (used.contains(target)) {
                    target = out.resolve(outputName(photo, true)); // a.gif beside a.png: a.gif.png
                }
                if (!used.add(target)) {
                    throw new UsageError(photo + ": two inputs would write " + target);
                }
                overlays.add(target);
            }
        }
        refuseOverwritingInputs(photos, overlays);
        return new ImageBatch(List.copyOf(photos), List.copyOf(overlays), out);
    }

    /** The batch without its first {@code start} photos ({@code --start}). */
    ImageBatch from(long start) throws SourceException {
        if (start <= 0) {
            return this;
        }
        if (start >= inputs.size()) {
            throw new SourceException(
                    SourceException.Kind.NOT_FOUND,
                    output.toString(),
                    "--start " + start + " is past the last image: there are " + inputs.size() + " (the first is 0)");
        }
        int s = (int) start;
        return new ImageBatch(inputs.subList(s, inputs.size()), overlays.subList(s, overlays.size()), output);
    }

    /**
     * The name of the mask of photo {@code i}: the photo's name with the extension .png (in a directory batch, its
     * overlay's, which is the photo's unless two photos differ only by extension).
     */
    String maskName(long i) {
        Path overlay = overlays.get((int) i);
        String name = (overlay.equals(output) ? inputs.get((int) i) : overlay)
                .getFileName()
                .toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }

    private static String outputName(Path photo, boolean keepWholeName) {
        String name = photo.getFileName().toString();
        if (ImageFileSink.formatOf(photo) != null) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        return (keepWholeName || dot <= 0 ? name : name.substring(0, dot)) + ".png";
    }

    private static List<Path> list(Path dir, String glob, String given) throws SourceException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            for (Path e : entries) {
                if (Files.isRegularFile(e)
                        && ImageSequenceSource.isImageName(e.getFileName().toString())) {
                    found.add(e);
                }
            }
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Kind.UNREADABLE, dir.toString(), "cannot list the directory: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new SourceException(
                    SourceException.Kind.NOT_FOUND, given, "not a valid pattern: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            String readable = "(readable: " + String.join(", ", ImageSequenceSource.readableSuffixes()) + ")";
            throw glob.equals("*")
                    ? new SourceException(
                            SourceException.Kind.NOT_VIDEO,
                            given,
                            "is a directory with no images in it " + readable + "; a video is given as a file")
                    : new SourceException(SourceException.Kind.NOT_FOUND, given, "no image matches " + readable);
        }
        found.sort(null);
        return found;
    }

    private static List<Path> matching(String pattern) throws SourceException, UsageError {
        int slash = pattern.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash);
        String glob = pattern.substring(slash + 1);
        if (isPattern(dir)) {
            throw new UsageError(pattern + ": only the last path element may be a pattern (e.g. 'photos/*.jpg')");
        }
        if (!Files.isDirectory(Path.of(dir))) {
            throw new SourceException(SourceException.Kind.NOT_FOUND, pattern, "no such directory: " + dir);
        }
        List<Path> found = list(Path.of(dir), glob, pattern);
        return slash < 0
                ? found.stream().map(p -> Path.of(p.getFileName().toString())).toList()
                : found;
    }

    private static void refuseOverwritingInputs(List<Path> photos, List<Path> overlays) throws SinkException {
        Set<Path> in = new HashSet<>();
        for (Path p : photos) {
            in.add(p.toAbsolutePath().normalize());
        }
        for (Path o : overlays) {
            if (in.contains(o.toAbsolutePath().normalize())) {
                throw new SinkException(
                        o, "the output would overwrite an input image; write to another file or" + " directory");
            }
        }
    }

    static boolean isVideoName(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".mp4") || lower.endsWith(".mkv");
    }

    static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static boolean isUrl(String s) {
        return s.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*");
    }
}

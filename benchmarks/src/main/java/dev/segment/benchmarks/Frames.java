package dev.segment.benchmarks;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.engine.ScoreGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The benchmarks' inputs: real frames of a DAVIS clip (854x480) and a score grid of the model's size for them. */
final class Frames {
    /** A car driving round a roundabout, the camera following it: 854x480, decoded with the codecs module. */
    static final String DEFAULT_VIDEO = "../shared/data/davis/car-roundabout/video.mjpeg.mkv";

    static final int CLASSES = 21;
    static final int CAR = 7;

    private Frames() {}

    /** The first {@code count} frames of {@code video}. */
    static List<VideoFrame> decode(String video, int count) throws IOException {
        if (!Files.isRegularFile(Path.of(video))) {
            throw new IOException(
                    video + " not found: run from the repository root (it reads ../shared) or pass" + " -p video=PATH");
        }
        List<VideoFrame> frames = new ArrayList<>();
        try (FfmpegSource source = new FfmpegSource(video, SourceOptions.forFile())) {
            VideoInfo info = source.open();
            while (frames.size() < count) {
                VideoFrame f = new VideoFrame(info.width(), info.height());
                if (!source.read(f)) {
                    throw new IOException(video + " has fewer than " + count + " frames");
                }
                frames.add(f);
            }
        }
        return frames;
    }

    /**
     * The logits grid DeepLab (crop 513, output stride 8, unpadded) gives for a frame of {@code width x height}: the
     * frame resized to a long side of 513, one cell every 8 input pixels (65x37 for 854x480). Background with a car
     * in the middle third, and noise, so that the CRF has edges to settle.
     */
    static ScoreGrid scores(int width, int height) {
        int inputWidth = width >= height ? 513 : Math.round(513f * width / height);
        int inputHeight = width >= height ? Math.round(513f * height / width) : 513;
        int stride = 8;
        int gw = (inputWidth - 1 + stride - 1) / stride + 1;
        int gh = (inputHeight - 1 + stride - 1) / stride + 1;
        ScoreGrid grid = new ScoreGrid();
        float[] data = grid.reset(gw, gh, CLASSES, inputWidth, inputHeight, stride);
        Random random = new Random(24);
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                int cell = (y * gw + x) * CLASSES;
                for (int c = 0; c < CLASSES; c++) {
                    data[cell + c] = (float) random.nextGaussian() * 2f;
                }
                boolean car = x > gw / 3 && x < 2 * gw / 3 && y > gh / 3 && y < 5 * gh / 6;
                data[cell + (car ? CAR : 0)] += 6f;
            }
        }
        return grid;
    }
}

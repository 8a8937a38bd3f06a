package dev.segment.codecs;

import java.nio.file.Path;

/**
 * What a {@link FrameSource} knows about its stream once opened.
 *
 * @param width          frame width in pixels after rotation metadata is applied (what frames will have)
 * @param height         frame height in pixels
 * @param frameRate      nominal frames per second (for a variable-rate file, the container's average)
 * @param frameCount     number of video frames the source will deliver if the container says so, else -1
 * @param audioChannels  channels of the first audio stream, 0 when there is none
 * @param sampleRate     sample rate of that audio stream, 0 when there is none
 * @param live           true for cameras and network streams (frames may be dropped to bound latency)
 * @param description    a printable name of the source with any credentials removed
 * @param codecName      the video decoder's name (e.g. "h264"), or "" when unknown
 * @param rotation       clockwise rotation in degrees (0, 90, 180, 270) the source applied to make frames upright
 * @param sourceFile     the local file read, or null for URLs and devices (lets sinks refuse to overwrite it)
 * @param variableRate   the container says its frames are not evenly spaced (its base rate differs from the
 *                       average): a sink keeps each frame's own time instead of a grid of the nominal rate. A
 *                       heuristic: Matroska reports both rates from its default duration, so an MKV whose frames
 *                       come faster than that rate is not flagged (gaps and slower frames fit the grid anyway)
 */
public record VideoInfo(
        int width,
        int height,
        double frameRate,
        long frameCount,
        int audioChannels,
        int sampleRate,
        boolean live,
        String description,
        String codecName,
        int rotation,
        Path sourceFile,
        boolean variableRate) {
    public VideoInfo {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frameRate must be positive and finite, got " + frameRate);
        }
        if (audioChannels < 0 || sampleRate < 0) {
            throw new IllegalArgumentException(
                    "audioChannels and sampleRate must be >= 0, got " + audioChannels + " and " + sampleRate);
        }
        if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        description = description == null ? "" : description;
        codecName = codecName == null ? "" : codecName;
    }

    /** A stream of evenly spaced frames. */
    public VideoInfo(
            int width,
            int height,
            double frameRate,
            long frameCount,
            int audioChannels,
            int sampleRate,
            boolean live,
            String description,
            String codecName,
            int rotation,
            Path sourceFile) {
        this(
                width,
                height,
                frameRate,
                frameCount,
                audioChannels,
                sampleRate,
                live,
                description,
                codecName,
                rotation,
                sourceFile,
                false);
    }

    /** A stream with no codec name, rotation or local file (synthetic sources, tests). */
    public VideoInfo(
            int width,
            int height,
            double frameRate,
            long frameCount,
            int audioChannels,
            int sampleRate,
            boolean live,
            String description) {
        this(width, height, frameRate, frameCount, audioChannels, sampleRate, live, description, "", 0, null);
    }

    public boolean hasAudio() {
        return audioChannels > 0 && sampleRate > 0;
    }
}

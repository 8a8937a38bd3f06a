package dev.segment.codecs;

/**
 * What a {@link FrameSource} knows about its stream once opened.
 *
 * @param width          frame width in pixels after rotation metadata is applied (what frames will have)
 * @param height         frame height in pixels
 * @param frameRate      nominal frames per second (for a variable-rate file, the container's average)
 * @param frameCount     number of video frames if the container says so, else -1
 * @param audioChannels  channels of the first audio stream, 0 when there is none
 * @param sampleRate     sample rate of that audio stream, 0 when there is none
 * @param live           true for cameras and network streams (frames may be dropped to bound latency)
 * @param description    a printable name of the source with any credentials removed
 */
public record VideoInfo(int width, int height, double frameRate, long frameCount,
                        int audioChannels, int sampleRate, boolean live, String description) {
    public VideoInfo {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frameRate must be positive and finite, got " + frameRate);
        }
    }

    public boolean hasAudio() {
        return audioChannels > 0 && sampleRate > 0;
    }
}

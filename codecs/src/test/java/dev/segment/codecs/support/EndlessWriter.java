package dev.segment.codecs.support;

import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VideoSinkOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Child-process writer for the crash-safety test: writes moving 320x240 frames at 25 fps to args[0] forever,
 * printing "frame N" after each, until the parent kills it with SIGKILL.
 */
public final class EndlessWriter {
    private EndlessWriter() {}

    public static void main(String[] args) throws Exception {
        int w = 320;
        int h = 240;
        VideoFrame input = new VideoFrame(w, h);
        TestFrame frame = new TestFrame(input);
        try (VideoFileSink sink = new VideoFileSink(
                Path.of(args[0]), VideoSinkOptions.defaults().withContent(VideoSinkOptions.Content.INPUT))) {
            sink.open(new VideoInfo(w, h, 25, -1, 0, 0, false, "synthetic"));
            for (long n = 0; ; n++) {
                ByteBuffer rgb = input.resize(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = (y * w + x) * 3;
                        rgb.put(i, (byte) (x + n * 3))
                                .put(i + 1, (byte) (y * 2 - n))
                                .put(i + 2, (byte) (x ^ y));
                    }
                }
                input.setPtsMicros(n * 40_000);
                sink.write(frame.set(n, null, null));
                System.out.println("frame " + n);
                System.out.flush();
            }
        }
    }
}

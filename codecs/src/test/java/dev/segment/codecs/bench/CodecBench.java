package dev.segment.codecs.bench;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VideoSinkOptions;
import dev.segment.codecs.support.TestFrame;
import dev.segment.testing.Ffmpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints decode fps, encode fps and the fragmented-MP4 size overhead for one clip.
 * {@code mvn -q -o -pl codecs exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.segment.codecs.bench.CodecBench -Dexec.args="CLIP [preset] [crf]"}
 */
public final class CodecBench {
    private CodecBench() {}

    public static void main(String[] args) throws Exception {
        Path clip =
                Path.of(args.length > 0 ? args[0] : "../../shared/data/videos/intel_one-by-one-person-detection.mp4");
        String preset = args.length > 1 ? args[1] : "veryfast";
        int crf = args.length > 2 ? Integer.parseInt(args[2]) : 23;
        Path tmp = Files.createTempDirectory("codecbench");

        VideoFrame frame = new VideoFrame(1, 1);
        VideoInfo info;
        long frames = 0;
        long t0 = System.nanoTime();
        try (FfmpegSource source = new FfmpegSource(clip)) {
            info = source.open();
            while (source.read(frame)) {
                frames++;
            }
        }
        double decodeS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "decode: %d frames %dx%d in %.2f s = %.1f fps%n",
                frames, info.width(), info.height(), decodeS, frames / decodeS);

        // encode: the first 100 decoded frames kept in memory, cycled for the clip's length (no decode in the timing)
        List<VideoFrame> cache = new ArrayList<>();
        try (FfmpegSource source = new FfmpegSource(clip)) {
            source.open();
            VideoFrame f = new VideoFrame(info.width(), info.height());
            while (cache.size() < 100 && source.read(f)) {
                cache.add(f);
                f = new VideoFrame(info.width(), info.height());
            }
        }
        VideoInfo videoOnly =
                new VideoInfo(info.width(), info.height(), info.frameRate(), frames, 0, 0, false, "bench");
        Path out = tmp.resolve("bench.mp4");
        VideoSinkOptions options =
                VideoSinkOptions.defaults().withPreset(preset).withCrf(crf).withContent(VideoSinkOptions.Content.INPUT);
        long frameMicros = Math.round(1e6 / info.frameRate());
        t0 = System.nanoTime();
        try (VideoFileSink sink = new VideoFileSink(out, options)) {
            sink.open(videoOnly);
            for (long n = 0; n < frames; n++) {
                VideoFrame in = cache.get((int) (n % cache.size()));
                in.setPtsMicros(n * frameMicros);
                sink.write(new TestFrame(in).set(n, null, null));
            }
        }
        double encodeS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "encode (libx264 %s crf %d): %d frames in %.2f s = %.1f fps%n",
                preset, crf, frames, encodeS, frames / encodeS);

        Path plain = Ffmpeg.ffmpeg(tmp.resolve("plain.mp4"), "-i", out.toString(), "-c", "copy");
        long frag = Files.size(out);
        long normal = Files.size(plain);
        System.out.printf(
                "fragmented MP4 %d bytes vs the same packets in a plain MP4 %d bytes: overhead %.2f %%%n",
                frag, normal, 100.0 * (frag - normal) / normal);
        Files.delete(out);
        Files.delete(plain);
        Files.delete(tmp);
    }
}

package dev.segment.codecs.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.javacpp.IntPointer;

/** Display-matrix rotation of a stream and the pixel copy that applies it. */
public final class Rotation {
    private Rotation() {}

    /** Clockwise degrees (0, 90, 180, 270) to turn decoded pictures upright, as ffmpeg's autorotate does. */
    public static int clockwiseDegrees(AVCodecParameters par) {
        AVPacketSideData sd =
                av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.data() == null || sd.size() < 36) {
            return 0;
        }
        double counterClockwise = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(counterClockwise)) {
            return 0;
        }
        long quarter = Math.round(-counterClockwise / 90.0);
        return (int) (((quarter % 4) + 4) % 4) * 90;
    }

    /**
     * Copies packed RGB24 {@code src} ({@code w x h}) into {@code dst} rotated clockwise by {@code degrees}; dst is
     * {@code h x w} for 90 and 270.
     */
    public static void rotate(ByteBuffer src, int w, int h, int degrees, ByteBuffer dst) {
        int outW = degrees % 180 == 0 ? w : h;
        for (int y = 0; y < h; y++) {
            int s = y * w * 3;
            for (int x = 0; x < w; x++, s += 3) {
                int ox;
                int oy;
                switch (degrees) {
                    case 90 -> {
                        ox = h - 1 - y;
                        oy = x;
                    }
                    case 180 -> {
                        ox = w - 1 - x;
                        oy = h - 1 - y;
                    }
                    case 270 -> {
                        ox = y;
                        oy = w - 1 - x;
                    }
                    default -> {
                        ox = x;
                        oy = y;
                    }
                }
                int d = (oy * outW + ox) * 3;
                dst.put(d, src.get(s));
                dst.put(d + 1, src.get(s + 1));
                dst.put(d + 2, src.get(s + 2));
            }
        }
    }
}

package dev.segment.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisRateTest {
    /** A camera whose frames carry the given times (microseconds). */
    private static FrameSource camera(double fps, long... pts) {
        return new FrameSource() {
            int next;

            @Override
            public VideoInfo open() {
                return new VideoInfo(64, 48, fps, -1, 0, 0, true, "test", "", 0, null, false);
            }

            @Override
            public boolean read(VideoFrame frame) {
                if (next >= pts.length) {
                    return false;
                }
                frame.setPtsMicros(pts[next++]);
                return true;
            }

            @Override
            public void close() {}
        };
    }

    private static long[] grid(int frames, double fps, long startMicros) {
        long[] p = new long[frames];
        for (int i = 0; i < frames; i++) {
            p[i] = startMicros + Math.round(i * 1e6 / fps);
        }
        return p;
    }

    private static List<Long> taken(AnalysisRate rate) throws Exception {
        VideoFrame f = new VideoFrame(64, 48);
        List<Long> out = new ArrayList<>();
        rate.open();
        while (rate.read(f)) {
            out.add(f.ptsMicros());
        }
        return out;
    }

    @Test
    void everyFifthFrameOfA25FpsCameraAt5Fps() throws Exception {
        AnalysisRate r = new AnalysisRate(camera(25, grid(100, 25, 0)), 5);
        List<Long> t = taken(r);
        assertEquals(20, t.size());
        for (int i = 0; i < t.size(); i++) {
            assertEquals(i * 200_000L, t.get(i));
        }
        assertEquals(100, r.framesIn());
        assertEquals(25, r.fpsIn(), 0.01, "what the camera sends");
    }

    @Test
    void fiveFpsOnAverageFromA24FpsCamera() throws Exception {
        List<Long> t = taken(new AnalysisRate(camera(24, grid(240, 24, 0)), 5)); // 10 s
        assertEquals(50, t.size(), "" + t);
    }

    @Test
    void aCameraSlowerThanTheRateGivesEveryFrame() throws Exception {
        assertEquals(30, taken(new AnalysisRate(camera(3, grid(30, 3, 0)), 5)).size());
    }

    @Test
    void timesThatStartAgainStartTheSchedule() throws Exception {
        long[] a = grid(50, 25, 5_000_000);
        long[] b = grid(50, 25, 0); // a reconnect: the stream's times start again
        long[] both = new long[100];
        System.arraycopy(a, 0, both, 0, 50);
        System.arraycopy(b, 0, both, 50, 50);
        List<Long> t = taken(new AnalysisRate(camera(25, both), 5));
        assertEquals(20, t.size());
        assertEquals(0L, t.get(10));
    }
}

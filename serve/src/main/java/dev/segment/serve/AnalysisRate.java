package dev.segment.serve;

import dev.segment.codecs.FrameSource;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera read at its analysis rate: of the frames the camera sends, only those that fall due (one every
 * {@code 1/fps} s of the frames' own times) go on to the pipeline; the others are decoded (a video decoder needs every
 * frame) and skipped here, so they are neither segmented nor counted as drops. The due times advance by the interval,
 * not from the frame taken, so 5 fps from a 24 fps camera stays 5 fps on average. A jump back in time (a reconnect
 * or a looped file) or forward by more than a second starts the schedule again.
 */
final class AnalysisRate implements FrameSource {
    private final FrameSource camera;
    private final long intervalMicros;
    private final AtomicLong framesIn = new AtomicLong();
    private long nextDue = Long.MIN_VALUE;
    private long lastPts = Long.MIN_VALUE;
    private double cameraFps;
    /** The camera's frame interval from its frames' own times, exponentially smoothed; 0 before the second frame. */
    private volatile double smoothedStepMicros;

    AnalysisRate(FrameSource camera, double fps) {
        this.camera = Objects.requireNonNull(camera, "camera");
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be > 0, got " + fps);
        }
        this.intervalMicros = Math.round(1e6 / fps);
    }

    @Override
    public VideoInfo open() throws IOException {
        VideoInfo info = camera.open();
        cameraFps = info.frameRate();
        double fps = Math.min(info.frameRate(), 1e6 / intervalMicros);
        return new VideoInfo(
                info.width(),
                info.height(),
                fps,
                -1,
                info.audioChannels(),
                info.sampleRate(),
                info.live(),
                info.description(),
                info.codecName(),
                info.rotation(),
                info.sourceFile(),
                true);
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        while (camera.read(frame)) {
            framesIn.incrementAndGet();
            long pts = frame.ptsMicros();
            if (lastPts != Long.MIN_VALUE && (pts < lastPts || pts - lastPts > 1_000_000)) {
                nextDue = Long.MIN_VALUE; // a new stream: start the schedule at this frame
            }
            if (nextDue != Long.MIN_VALUE && lastPts != Long.MIN_VALUE && pts > lastPts) {
                double step = pts - lastPts;
                smoothedStepMicros = smoothedStepMicros == 0 ? step : 0.9 * smoothedStepMicros + 0.1 * step;
            }
            lastPts = pts;
            // half a camera frame of slack, so that a due time that falls between two frames takes the nearer one
            long slack = cameraFps > 0 ? Math.round(0.5e6 / cameraFps) : 0;
            if (nextDue == Long.MIN_VALUE || pts >= nextDue - slack) {
                nextDue = nextDue == Long.MIN_VALUE || pts - nextDue > intervalMicros
                        ? pts + intervalMicros
                        : nextDue + intervalMicros;
                return true;
            }
        }
        return false;
    }

    /** Frames a second the camera sends (from its frames' times), due or not; 0 before its second frame. */
    double fpsIn() {
        double step = smoothedStepMicros;
        return step > 0 ? 1e6 / step : 0;
    }

    /** Frames the camera sent, due or not. */
    long framesIn() {
        return framesIn.get();
    }

    @Override
    public void close() throws IOException {
        camera.close();
    }
}

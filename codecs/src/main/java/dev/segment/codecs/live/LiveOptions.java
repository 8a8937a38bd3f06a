package dev.segment.codecs.live;

import dev.segment.config.Transport;
import java.util.Map;
import java.util.Objects;

/**
 * How to open a live source. Mirrors the {@code source.*} section of the configuration (the cli maps one to the
 * other; codecs does not depend on the config module).
 *
 * @param transport     RTSP transport
 * @param openTimeoutMs longest wait for a connection and the stream's header, &gt; 0
 * @param readTimeoutMs longest wait for the next frame once open, &gt; 0
 * @param realtime      pace files and synthetic (lavfi) inputs at their frame rate, as a camera would deliver them
 * @param reconnect     what to do when the stream fails; {@link ReconnectPolicy#NEVER} to fail at once
 * @param videoSize     webcam capture size "WxH", or null for the device's default
 * @param frameRate     webcam capture rate, or 0 for the device's default
 * @param ffmpegOptions extra demuxer options passed to FFmpeg as they are (never logged: they may hold secrets)
 */
public record LiveOptions(
        Transport transport,
        long openTimeoutMs,
        long readTimeoutMs,
        boolean realtime,
        ReconnectPolicy reconnect,
        String videoSize,
        double frameRate,
        Map<String, String> ffmpegOptions) {
    public static final LiveOptions DEFAULT =
            new LiveOptions(Transport.TCP, 10_000, 5_000, false, ReconnectPolicy.DEFAULT, null, 0, Map.of());

    public LiveOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(reconnect, "reconnect");
        if (openTimeoutMs <= 0) {
            throw new IllegalArgumentException("source.openTimeoutMs must be > 0, got " + openTimeoutMs);
        }
        if (readTimeoutMs <= 0) {
            throw new IllegalArgumentException("source.readTimeoutMs must be > 0, got " + readTimeoutMs);
        }
        if (videoSize != null && !videoSize.matches("\\d+x\\d+")) {
            throw new IllegalArgumentException("videoSize must look like 640x480, got " + videoSize);
        }
        if (!(frameRate >= 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frameRate must be >= 0 and finite, got " + frameRate);
        }
        ffmpegOptions = Map.copyOf(Objects.requireNonNull(ffmpegOptions, "ffmpegOptions"));
    }

    public LiveOptions withTransport(Transport t) {
        return new LiveOptions(
                t, openTimeoutMs, readTimeoutMs, realtime, reconnect, videoSize, frameRate, ffmpegOptions);
    }

    public LiveOptions withTimeouts(long openMs, long readMs) {
        return new LiveOptions(transport, openMs, readMs, realtime, reconnect, videoSize, frameRate, ffmpegOptions);
    }

    public LiveOptions withRealtime(boolean r) {
        return new LiveOptions(
                transport, openTimeoutMs, readTimeoutMs, r, reconnect, videoSize, frameRate, ffmpegOptions);
    }

    public LiveOptions withReconnect(ReconnectPolicy p) {
        return new LiveOptions(
                transport, openTimeoutMs, readTimeoutMs, realtime, p, videoSize, frameRate, ffmpegOptions);
    }

    public LiveOptions withCapture(String size, double rate) {
        return new LiveOptions(transport, openTimeoutMs, readTimeoutMs, realtime, reconnect, size, rate, ffmpegOptions);
    }
}

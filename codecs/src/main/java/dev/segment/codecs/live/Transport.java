package dev.segment.codecs.live;

/** How RTSP media travels: interleaved in the TCP control connection (default, survives NAT and loss) or over UDP. */
public enum Transport {
    TCP,
    UDP;

    /** The value of FFmpeg's {@code rtsp_transport} option. */
    public String ffmpegName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses "tcp" or "udp" (any case); the message names the bad value. */
    public static Transport parse(String value) {
        if (value != null) {
            for (Transport t : values()) {
                if (t.name().equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("transport must be tcp or udp, got " + value);
    }
}

package dev.segment.codecs.live;

/** What a source string names; decides the FFmpeg input format, the options and whether frames may be dropped. */
public enum SourceKind {
    /** A local file: read as fast as the pipeline takes it, never dropped (unless paced in real time). */
    FILE(false),
    /** rtsp:// or rtsps:// camera. */
    RTSP(true),
    /** /dev/videoN or a bare index N, through FFmpeg's v4l2 input. */
    WEBCAM(true),
    /** "lavfi:GRAPH": an FFmpeg filter graph as a synthetic camera (testsrc2, movie=FILE, ...). */
    LAVFI(true),
    /** Any other FFmpeg URL: http(s) MJPEG cameras, tcp, udp, srt, rtmp, hls. */
    URL(true);

    private final boolean live;

    SourceKind(boolean live) {
        this.live = live;
    }

    public boolean live() {
        return live;
    }
}

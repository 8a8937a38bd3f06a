#!/usr/bin/python3
"""A real RTSP server for tests, on GStreamer's GstRtspServer (Debian: gstreamer1.0-rtsp,
gir1.2-gst-rtsp-server-1.0, python3-gi, gstreamer1.0-plugins-{base,good,bad,ugly}, gstreamer1.0-libav).

Serves, on 127.0.0.1 only:
  rtsp://127.0.0.1:PORT/stream   a video file (decoded, paced in real time, re-encoded to H.264 with a key frame
                                 every second and no B-frames, like a camera), repeated --repeat times; or an
                                 endless videotestsrc pattern with --pattern
  rtsp://127.0.0.1:PORT/push     (with --record OUT.ts) an RTSP RECORD mount: whatever a client publishes as H.264
                                 is written to OUT.ts (MPEG-TS, readable even if the server is killed)

Prints "READY <port>" on stdout once listening. Exits on SIGTERM/SIGINT. Each client gets its own session that
starts at the beginning of the clip, as a camera that was just switched on.

Run with the system interpreter (/usr/bin/python3): python3-gi is a Debian package.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def encoder(fps, width, height, key_int):
    scale = "" if width <= 0 else f" ! videoscale ! video/x-raw,width={width},height={height}"
    return (f" ! videoconvert ! videorate ! video/x-raw,framerate={fps}/1{scale}"
            f" ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={key_int} bframes=0 bitrate=1500"
            f" ! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=1")


def file_launch(path, repeat, fps, width, height):
    # concat keeps running time continuous from one copy of the clip to the next.
    branches = "".join(
        f" filesrc location=\"{path}\" ! decodebin ! videoconvert ! c." for _ in range(repeat))
    return f"( concat name=c{encoder(fps, width, height, fps)}{branches} )"


def pattern_launch(pattern, fps, width, height):
    w = width if width > 0 else 640
    h = height if height > 0 else 360
    return (f"( videotestsrc is-live=true pattern={pattern} ! video/x-raw,width={w},height={h},framerate={fps}/1"
            f"{encoder(fps, 0, 0, fps)} )")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--file", help="video file to serve")
    parser.add_argument("--pattern", help="videotestsrc pattern (e.g. ball, smpte) instead of a file")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--width", type=int, default=0, help="scale to this width (0: keep)")
    parser.add_argument("--height", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="times the file is played per session")
    parser.add_argument("--record", help="write what clients publish on /push to this MPEG-TS file")
    parser.add_argument("--shared", action="store_true", help="one media for all clients (a camera)")
    args = parser.parse_args()
    if (args.file is None) == (args.pattern is None) and args.record is None:
        parser.error("give exactly one of --file or --pattern (or only --record)")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()

    if args.file or args.pattern:
        factory = GstRtspServer.RTSPMediaFactory()
        if args.file:
            factory.set_launch(file_launch(args.file, max(1, args.repeat), args.fps, args.width, args.height))
        else:
            factory.set_launch(pattern_launch(args.pattern, args.fps, args.width, args.height))
        factory.set_shared(args.shared)
        mounts.add_factory("/stream", factory)

    if args.record:
        rec = GstRtspServer.RTSPMediaFactory()
        rec.set_transport_mode(GstRtspServer.RTSPTransportMode.RECORD)
        rec.set_launch(f"( rtph264depay name=depay0 ! h264parse config-interval=-1 ! mpegtsmux"
                       f" ! filesink location=\"{args.record}\" sync=false )")
        rec.set_latency(100)
        mounts.add_factory("/push", rec)

    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
        sys.exit(2)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"READY {args.port}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()

package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigFields;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every command-line flag that sets one configuration field: its name, the field, its value's label and what it does.
 * The one place a flag is declared: {@link ConfigFlags} turns a command's list of them into options, and help adds the
 * field and its default.
 */
enum ConfigFlag {
    MODEL(
            "--model",
            "model.path",
            "GRAPH.pb",
            "DeepLab frozen graph (default: $SEGMENT_MODEL or model.path in ~/.config/segment/config.yaml)."),
    ALPHA("--alpha", "overlay.alpha", "A", "Overlay opacity 0..1."),
    LEGEND("--legend", "overlay.legend", Kind.ON_OFF, "Draw a legend of the classes present."),
    LABELS("--labels", "overlay.labels", Kind.ON_OFF, "Write the class name on every large segment."),
    OVERLAY_STYLE(
            "--overlay-style",
            "overlay.style",
            "outline|blend",
            "outline: segments that show on any background, with contours; blend: the plain alpha blend."),
    KEYFRAMES(
            "--keyframes",
            "keyframes.mode",
            "auto|all",
            "auto: the model on keyframes, its scores carried along the motion to the frames between; all: the model"
                    + " on every frame."),
    KEYFRAMES_BUDGET(
            "--keyframes-budget",
            "keyframes.budget",
            "SHARE",
            "Files: the most share of the frames (0.01..1) the model runs on besides starts and cuts; 1 = the"
                    + " thresholds alone."),
    KEYFRAMES_LIVE_DUTY(
            "--keyframes-live-duty",
            "keyframes.liveDuty",
            "SHARE",
            "Live sources: the most share of the time (0.05..1) the model may run beside the stream."),
    KEYFRAME_INTERVAL(
            "--keyframe-interval", "keyframes.maxInterval", "N", "Most frames from one keyframe to the next."),
    KEYFRAME_MOTION(
            "--keyframe-motion",
            "keyframes.motion",
            "dense|global",
            "Carry scores along a dense optical flow or one translation per frame."),
    CRF("--crf", "crf.enabled", Kind.ON_OFF, "DenseCRF refinement."),
    CRF_ITERATIONS("--crf-iterations", "crf.iterations", "N", "Cold mean-field iterations."),
    CRF_WARM_ITERATIONS(
            "--crf-warm-iterations",
            "crf.warmIterations",
            "N",
            "Iterations on frames warm-started from the previous one."),
    CRF_SCALE("--crf-scale", "crf.scale", "S", "CRF resolution as a fraction of the frame."),
    CRF_MAX_PIXELS(
            "--crf-max-pixels",
            "crf.maxPixels",
            "N",
            "Most pixels the CRF refines per frame, larger frames at a smaller scale; 0 = no limit (20736 = 192x108)."),
    CRF_MIN_PIXELS(
            "--crf-min-pixels",
            "crf.minPixels",
            "N",
            "Live sources: fewest pixels the CRF goes down to when it cannot keep up with the camera; 0 = always"
                    + " crf.maxPixels (14400 = 160x90)."),
    CRF_THREADS("--crf-threads", "crf.threads", "T", "CRF threads, 0 = all cores."),
    CRF_BACKEND("--crf-backend", "crf.backend", "auto|cpu|cuda", "CRF backend."),
    UNPADDED(
            "--unpadded",
            "inference.unpadded",
            Kind.ON_OFF,
            "Feed the graph at the frame's aspect instead of the padded square."),
    INFERENCE_THREADS("--inference-threads", "inference.threads", "T", "TensorFlow threads, 0 = all cores."),
    RING_SIZE("--ring-size", "pipeline.ringSize", "N", "Frames in the ring buffer, a power of 2."),
    VIDEO_QUALITY(
            "--video-quality", "output.quality", "Q", "x264 rate factor of the output video, 0..51, lower is better."),
    /** The old spelling: next to {@code --crf} (the DenseCRF) an x264 "CRF" called {@code --quality} was confusing. */
    QUALITY("--quality", "output.quality", "Q", Kind.HIDDEN, ""),
    PRESET("--preset", "output.preset", "NAME", "x264 preset."),

    MASKS("--masks", "output.masksDir", "DIR", "Write one VOC palette PNG per frame here."),
    STATS("--stats", "output.statsFile", "FILE.jsonl", "Write one JSON line per frame here."),
    START("--start", "source.startFrame", "N", "A file: the first frame to read."),
    FRAMES("--frames", "source.maxFrames", "N", "Stop after N frames."),
    /** The earlier name of {@code --frames}, kept working for existing scripts. */
    MAX_FRAMES("--max-frames", "source.maxFrames", "N", Kind.HIDDEN, ""),
    DURATION(
            "--duration",
            "source.durationSeconds",
            "S",
            "End the run S seconds after it starts, connecting included; exit 9 if no frame came."),
    TRANSPORT("--transport", "source.transport", "tcp|udp", "RTSP transport."),
    REALTIME("--realtime", "source.realtime", Kind.SWITCH, "Read a file at its frame rate, as a camera."),
    BACKPRESSURE(
            "--backpressure",
            "pipeline.backpressure",
            "auto|block|drop-oldest",
            "When the pipeline is full (auto: drop for live sources, block for files)."),
    HTTP_PREVIEW("--http-preview", "listen.httpPreviewPort", "PORT", "Browser preview on this port."),
    METRICS_PORT("--metrics-port", "listen.metricsPort", "PORT", "Prometheus endpoint on this port."),
    BIND("--bind", "listen.bindAddress", "ADDR", "Listen address.");

    /** Built once for the help texts of every flag (picocli builds every command's options at each start). */
    private static final class Defaults {
        static final SegmentConfig CONFIG = SegmentConfig.defaults();
        /** Values that mean "none" or "no limit": the flag's text says what they mean. */
        static final Pattern NONE = Pattern.compile("-1|0(\\.0)?");
    }

    /** How a flag's value is given. */
    enum Kind {
        /** A value, as in a configuration file. */
        VALUE,
        /** on or off (true and false also work). */
        ON_OFF,
        /** No value: present means true. */
        SWITCH,
        /** A value; an old spelling, working but not shown in help. */
        HIDDEN
    }

    final String flag;
    final String path;
    final String label;
    final Kind kind;
    private final String text;

    ConfigFlag(String flag, String path, String label, String text) {
        this(flag, path, label, Kind.VALUE, text);
    }

    ConfigFlag(String flag, String path, Kind kind, String text) {
        this(flag, path, kind == Kind.ON_OFF ? "on|off" : null, kind, text);
    }

    ConfigFlag(String flag, String path, String label, Kind kind, String text) {
        this.flag = flag;
        this.path = path;
        this.label = label;
        this.kind = kind;
        this.text = text;
    }

    /** What help says: the text, then the field and its built-in default, e.g. "(crf.iterations, default 5)". */
    String description() {
        String value = ConfigFields.valueOf(Defaults.CONFIG, path);
        if (kind == Kind.ON_OFF) {
            value = Boolean.parseBoolean(value) ? "on" : "off";
        }
        // 0, -1 and the empty text mean "none" or "no limit": the text says what they mean
        boolean shown = !value.isEmpty()
                && kind != Kind.SWITCH
                && !Defaults.NONE.matcher(value).matches();
        String said = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return said + " (" + path + (shown ? ", default " + value : "") + ").";
    }

    /** Sets this flag's field in {@code o} from the text the user gave; null (not given) sets nothing. */
    void put(ConfigOverrides o, String given) throws ConfigException {
        if (given == null) {
            return;
        }
        o.set(path, kind == Kind.ON_OFF ? onOff(given, flag, path) : given, flag);
    }

    /**
     * An on|off value as the configuration's boolean: on and off (true and false also work, as in a file); anything
     * else is refused naming the flag, its field and "on or off".
     */
    static String onOff(String v, String flag, String path) throws ConfigException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true" -> "true";
            case "off", "false" -> "false";
            default -> throw new ConfigException(flag, path, v, "must be on or off");
        };
    }
}

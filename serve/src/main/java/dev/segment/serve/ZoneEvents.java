package dev.segment.serve;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VocPalette;
import dev.segment.codecs.preview.RgbImages;
import dev.segment.serve.events.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera's rules, as a sink of its pipeline: per output frame, the share of each zone (or of the frame) that each
 * rule's classes cover, from the frame's labels; each rule's {@link RuleTracker} turns the shares into start, update
 * and end events, which go to {@code publish} with a JPEG snapshot of the overlay (the frame where the share peaked
 * so far) written under {@code snapshots}. Runs on the camera's output thread: zones are rasterized once per frame
 * size, and a snapshot is encoded only when a message goes out and the peak has grown since the last one.
 */
final class ZoneEvents implements FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneEvents.class);

    private final String camera;
    private final Map<String, Zone> zones;
    private final List<Tracked> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<Event> publish;
    private final Path snapshots;
    private final Clock clock;
    private final RgbImages images = new RgbImages();
    private final Map<String, byte[]> masks = new HashMap<>();
    private final Map<String, Integer> maskPixels = new HashMap<>();
    private int maskWidth;
    private int maskHeight;
    private long lastPts = Long.MIN_VALUE;
    private long offsetMicros;
    private long lastStepMicros = 40_000;
    /** A step between frames longer than this is a jump (a reconnect, a loop): 5 s, or three frames at a low rate. */
    private final long jumpMicros;

    /** One rule with the event it has running. */
    private static final class Tracked {
        final RuleTracker tracker;
        String id;
        Instant start;
        String snapshot;
        byte[] peakFrame;
        int peakWidth;
        int peakHeight;
        boolean peakUnwritten;

        Tracked(Rule rule) {
            tracker = new RuleTracker(rule);
        }
    }

    /**
     * @param snapshots the directory snapshots go under ({@code <camera>/<rule>-<start millis>.jpg}), or null for none
     */
    ZoneEvents(CameraSpec spec, Consumer<Event> publish, Path snapshots, Clock clock) {
        this.camera = spec.name();
        this.zones = spec.zones();
        spec.rules().forEach(r -> rules.add(new Tracked(r)));
        this.publish = Objects.requireNonNull(publish, "publish");
        this.snapshots = snapshots;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jumpMicros = Math.max(5_000_000L, Math.round(3e6 / spec.fps()));
    }

    /** Starts tracking one more rule (added through the API while the camera runs); its zone is the camera's. */
    void add(Rule rule) {
        if (rule.zone() != null && !zones.containsKey(rule.zone())) {
            throw new IllegalArgumentException("camera " + camera + " has no zone " + rule.zone());
        }
        rules.add(new Tracked(rule));
    }

    @Override
    public void open(VideoInfo info) {}

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (rules.isEmpty()) {
            return;
        }
        double seconds = seconds(frame.ptsMicros());
        List<Tracked> now = List.copyOf(rules); // one list for the frame: a rule added meanwhile starts next frame
        Map<String, long[]> counts = classCounts(frame, now);
        for (Tracked t : now) {
            Rule rule = t.tracker.rule();
            long[] c = counts.get(rule.zone() == null ? "" : rule.zone());
            long inZone = rule.zone() == null ? (long) frame.width() * frame.height() : maskPixels.get(rule.zone());
            long covered = 0;
            for (int id : rule.classIds()) {
                covered += c[id];
            }
            double share = inZone == 0 ? 0 : (double) covered / inZone;
            boolean newPeak = t.tracker.active() && share > t.tracker.peak();
            Event.Type type = t.tracker.observe(seconds, share);
            if (type == Event.Type.START || newPeak) {
                keepPeakFrame(t, frame);
            }
            if (type != null) {
                emit(t, type, share, seconds);
            }
        }
    }

    private void emit(Tracked t, Event.Type type, double share, double seconds) {
        Instant now = clock.instant();
        Rule rule = t.tracker.rule();
        if (type == Event.Type.START) {
            t.start = now.minusNanos(Math.round((seconds - t.tracker.startSeconds()) * 1e9));
            t.id = camera + "/" + rule.name() + "/" + t.start.toEpochMilli();
            t.snapshot = snapshots == null
                    ? null
                    : snapshots
                            .resolve(camera)
                            .resolve(rule.name() + "-" + t.start.toEpochMilli() + ".jpg")
                            .toAbsolutePath()
                            .toString();
        }
        if (t.peakUnwritten && t.snapshot != null) {
            writeSnapshot(t);
        }
        publish.accept(new Event(
                t.id,
                camera,
                rule.name(),
                type,
                rule.zone(),
                rule.classes(),
                share,
                t.tracker.peak(),
                t.start,
                now,
                t.snapshot,
                t.tracker.startSeconds(),
                seconds));
    }

    private void keepPeakFrame(Tracked t, SegmentedFrame frame) {
        if (snapshots == null) {
            return;
        }
        ByteBuffer overlay = frame.overlay().duplicate();
        int size = frame.width() * frame.height() * 3;
        if (t.peakFrame == null || t.peakFrame.length != size) {
            t.peakFrame = new byte[size];
        }
        overlay.position(0);
        overlay.get(t.peakFrame, 0, size);
        t.peakWidth = frame.width();
        t.peakHeight = frame.height();
        t.peakUnwritten = true;
    }

    private void writeSnapshot(Tracked t) {
        Path file = Path.of(t.snapshot);
        try {
            Files.createDirectories(file.getParent());
            byte[] jpeg = images.toJpeg(images.toImage(ByteBuffer.wrap(t.peakFrame), t.peakWidth, t.peakHeight));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, jpeg);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            t.peakUnwritten = false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("camera {}: cannot write the snapshot {}: {}", camera, file, e.toString());
        }
    }

    /** Pixels per class in each zone ("" is the whole frame). */
    private Map<String, long[]> classCounts(SegmentedFrame frame, List<Tracked> now) {
        int w = frame.width();
        int h = frame.height();
        if (w != maskWidth || h != maskHeight) {
            masks.clear();
            maskPixels.clear();
            for (Zone z : zones.values()) {
                byte[] m = z.rasterize(w, h);
                int n = 0;
                for (byte b : m) {
                    n += b;
                }
                masks.put(z.name(), m);
                maskPixels.put(z.name(), n);
            }
            maskWidth = w;
            maskHeight = h;
        }
        ByteBuffer labels = frame.labels();
        Map<String, long[]> counts = new HashMap<>();
        long[] all = new long[VocPalette.CLASS_COUNT];
        counts.put("", all);
        List<String> used = new ArrayList<>();
        for (Tracked t : now) {
            String z = t.tracker.rule().zone();
            if (z != null && !counts.containsKey(z)) {
                counts.put(z, new long[VocPalette.CLASS_COUNT]);
                used.add(z);
            }
        }
        int n = w * h;
        for (int i = 0; i < n; i++) {
            all[labels.get(i) & 0xff]++;
        }
        for (String z : used) {
            byte[] m = masks.get(z);
            long[] c = counts.get(z);
            for (int i = 0; i < n; i++) {
                if (m[i] != 0) {
                    c[labels.get(i) & 0xff]++;
                }
            }
        }
        return counts;
    }

    /**
     * The frame's time in seconds since the camera's first frame, kept increasing across a reconnect or a loop (which
     * start the times again).
     */
    private double seconds(long pts) {
        if (lastPts == Long.MIN_VALUE) {
            offsetMicros = -pts; // the camera's first frame is 0
        } else {
            long step = pts - lastPts;
            if (step <= 0 || step > jumpMicros) {
                offsetMicros += lastPts - pts + lastStepMicros;
            } else {
                lastStepMicros = step;
            }
        }
        lastPts = pts;
        return (pts + offsetMicros) / 1e6;
    }

    /** Ends every running event (the camera stops): an end message each, at the time of closing. */
    @Override
    public void close() {
        double seconds = lastPts == Long.MIN_VALUE ? 0 : (lastPts + offsetMicros) / 1e6;
        for (Tracked t : rules) {
            if (t.tracker.endNow()) {
                emit(t, Event.Type.END, 0, seconds);
            }
        }
    }
}

package dev.segment.serve;

import dev.segment.serve.events.Event;
import java.util.Objects;

/**
 * One rule's state on one camera, fed the share of its zone that its classes cover, frame after frame: idle; the
 * share holds ({@code >= minShare}) and has for {@code forSeconds} -> start; while it lasts, an update at most every
 * {@code updateSeconds}; below for {@code holdSeconds} -> end. Times are the frames' own, in seconds. Not
 * thread-safe: one camera's output thread feeds it.
 */
final class RuleTracker {
    private final Rule rule;
    private double heldSince = Double.NaN;
    private boolean active;
    private double startSeconds;
    private double lastAbove;
    private double lastMessage;
    private double peak;

    RuleTracker(Rule rule) {
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    Rule rule() {
        return rule;
    }

    /** The message this frame raises, or null. */
    Event.Type observe(double seconds, double share) {
        boolean above = share >= rule.minShare();
        if (!active) {
            if (!above) {
                heldSince = Double.NaN;
                return null;
            }
            if (Double.isNaN(heldSince)) {
                heldSince = seconds;
            }
            if (seconds - heldSince < rule.forSeconds()) {
                return null;
            }
            active = true;
            startSeconds = heldSince;
            lastAbove = seconds;
            lastMessage = seconds;
            peak = share;
            return Event.Type.START;
        }
        peak = Math.max(peak, share);
        if (above) {
            lastAbove = seconds;
        } else if (seconds - lastAbove >= rule.holdSeconds()) {
            active = false;
            heldSince = Double.NaN;
            return Event.Type.END;
        }
        if (seconds - lastMessage >= rule.updateSeconds()) {
            lastMessage = seconds;
            return Event.Type.UPDATE;
        }
        return null;
    }

    boolean active() {
        return active;
    }

    /** When the current event's share first held, in the frames' seconds. */
    double startSeconds() {
        return startSeconds;
    }

    /** The largest share since the current event started. */
    double peak() {
        return peak;
    }

    /** Ends the current event without a frame (the camera is removed or the service stops); false when idle. */
    boolean endNow() {
        boolean was = active;
        active = false;
        heldSince = Double.NaN;
        return was;
    }
}

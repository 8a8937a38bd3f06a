package dev.segment.serve;

import java.util.List;

/**
 * When to raise an event: the classes cover at least {@code minShare} of the zone (or of the whole frame) for
 * {@code forSeconds}; it ends once the share has stayed below for {@code holdSeconds}; while it lasts, an update goes
 * out at most every {@code updateSeconds}.
 *
 * @param name          unique within its camera
 * @param zone          a zone of the camera, or null for the whole frame
 * @param classes       PASCAL VOC class names (at least one)
 * @param classIds      their class ids, in the same order
 * @param minShare      0 < share <= 1
 * @param forSeconds    how long the share must hold before the event starts, >= 0
 * @param holdSeconds   how long the share must stay below before the event ends, >= 0
 * @param updateSeconds the shortest time between two messages of one event, > 0
 */
public record Rule(
        String name,
        String zone,
        List<String> classes,
        List<Integer> classIds,
        double minShare,
        double forSeconds,
        double holdSeconds,
        double updateSeconds) {
    public Rule {
        classes = List.copyOf(classes);
        classIds = List.copyOf(classIds);
    }
}

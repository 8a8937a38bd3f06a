package dev.segment.config;

import dev.segment.config.internal.Check;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Encoded outputs.
 *
 * @param codec FFmpeg encoder name
 * @param quality x264 constant rate factor, 0 (lossless) .. 51 (worst)
 * @param preset x264 speed preset, one of {@link #PRESETS}
 * @param masksDir directory for per-frame label PNGs; null means none
 * @param statsFile per-frame JSON lines file; null means none
 * @param segmentSeconds split the output into files of this length; 0 means one file
 */
public record OutputConfig(
        String codec,
        int quality,
        String preset,
        @Nullable String masksDir,
        @Nullable String statsFile,
        double segmentSeconds) {
    /** The x264 presets, fastest first. */
    public static final Set<String> PRESETS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "ultrafast",
            "superfast",
            "veryfast",
            "faster",
            "fast",
            "medium",
            "slow",
            "slower",
            "veryslow",
            "placebo")));

    public OutputConfig {
        Check.notBlank("codec", codec);
        Check.between("quality", quality, 0, 51);
        Check.oneOf("preset", preset, PRESETS);
        Check.nullOrNotBlank("masksDir", masksDir);
        Check.nullOrNotBlank("statsFile", statsFile);
        Check.atLeast("segmentSeconds", segmentSeconds, 0);
    }
}

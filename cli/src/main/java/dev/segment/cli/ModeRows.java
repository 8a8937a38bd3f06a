package dev.segment.cli;

import dev.segment.config.ConfigException;
import dev.segment.config.ConfigFields;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of {@code segment eval --video}: each row is a set of configuration overrides, applied over the
 * configuration the command's flags build, so a row runs exactly what {@code segment convert} would run with those
 * settings. Written {@code "crf=off;crf=on,crf.iterations=10"}: rows separated by ';', settings by ','. A setting's
 * key is a short name ({@code crf}, {@code keyframes}), a field path ({@code crf.warmIterations}) or a flag name
 * ({@code crf-warm-iterations}); on/off work for every true/false field.
 */
final class ModeRows {
    /** The field of the keyframe policy; the default rows cross it with the CRF as soon as the config has it. */
    static final String KEYFRAMES_FIELD = "keyframes.mode";

    private static final Map<String, String> SHORT_NAMES = Map.of("crf", "crf.enabled", "keyframes", KEYFRAMES_FIELD);

    /** One row: its label (the settings as written) and the overrides it applies. */
    record Row(String label, ConfigOverrides overrides) {
        SegmentConfig applyTo(SegmentConfig base) throws ConfigException {
            return overrides.applyTo(base);
        }
    }

    private ModeRows() {}

    /**
     * Per-frame inference without and with the CRF; once the configuration has {@value #KEYFRAMES_FIELD}, the same
     * with {@code keyframes=all} (the model on every frame) and {@code keyframes=auto}.
     */
    static String defaults() {
        if (ConfigFields.paths().contains(KEYFRAMES_FIELD)) {
            return "crf=off,keyframes=all;crf=on,keyframes=all;crf=off,keyframes=auto;crf=on,keyframes=auto";
        }
        return "crf=off;crf=on";
    }

    /** Parses the {@code --modes} text; errors name the flag, the setting and what is allowed. */
    static List<Row> parse(String text, String flag) throws ConfigException {
        List<Row> rows = new ArrayList<>();
        for (String rowText : text.split(";", -1)) {
            String label = rowText.strip();
            if (label.isEmpty()) {
                throw new ConfigException(
                        flag,
                        null,
                        text,
                        "an empty row; rows are separated by ';' and each sets"
                                + " at least one KEY=VALUE, e.g. \"crf=off;crf=on\"");
            }
            ConfigOverrides overrides = new ConfigOverrides();
            List<String> shown = new ArrayList<>();
            for (String setting : label.split(",", -1)) {
                String s = setting.strip();
                int eq = s.indexOf('=');
                if (eq <= 0 || eq == s.length() - 1) {
                    throw new ConfigException(
                            flag,
                            null,
                            s,
                            "a setting is KEY=VALUE, e.g. crf=on or" + " crf.iterations=10 (row \"" + label + "\")");
                }
                String key = s.substring(0, eq).strip();
                String path = fieldPath(key, flag, s);
                String value = s.substring(eq + 1).strip();
                if (isBoolean(path)) {
                    value = ConfigFlag.onOff(value, flag + " row \"" + label + "\"", path);
                }
                overrides.set(path, value, flag + " row \"" + label + "\"");
                shown.add(key + "=" + s.substring(eq + 1).strip());
            }
            // validate the row's values now, over the defaults, so a typo fails before any clip is decoded
            overrides.applyTo(SegmentConfig.defaults());
            rows.add(new Row(String.join(",", shown), overrides));
        }
        return rows;
    }

    private static String fieldPath(String key, String flag, String setting) throws ConfigException {
        String k = key.startsWith("--") ? key.substring(2) : key;
        String shortName = SHORT_NAMES.get(k);
        if (shortName != null) {
            if (!ConfigFields.paths().contains(shortName)) {
                throw new ConfigException(
                        flag, shortName, setting, "this build's configuration has no field " + shortName);
            }
            return shortName;
        }
        if (ConfigFields.paths().contains(k)) {
            return k;
        }
        for (String path : ConfigFields.paths()) {
            if (ConfigFields.flagName(path).equals("--" + k)) {
                return path;
            }
        }
        throw new ConfigException(
                flag,
                null,
                setting,
                "unknown setting " + key + "; use crf, keyframes, a field"
                        + " path such as crf.iterations or a flag name such as crf-iterations (fields: "
                        + String.join(", ", ConfigFields.paths()) + ")");
    }

    private static boolean isBoolean(String path) {
        String v = ConfigFields.valueOf(SegmentConfig.defaults(), path).toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("false");
    }
}

package dev.segment.config.internal;

import java.util.Collection;
import java.util.Locale;

/** Naming conventions: enum constants in files, CLI flag names, and "did you mean" suggestions. */
public final class Names {
    private Names() {}

    /** {@code DROP_OLDEST} is written {@code drop-oldest}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code crf.bilateral.srgb} is set by {@code --crf-bilateral-srgb}, {@code crf.warmIterations} by {@code --crf-warm-iterations}. */
    public static String flag(String fieldPath) {
        StringBuilder flag = new StringBuilder("--");
        for (char c : fieldPath.toCharArray()) {
            if (c == '.') {
                flag.append('-');
            } else if (Character.isUpperCase(c)) {
                flag.append('-').append(Character.toLowerCase(c));
            } else {
                flag.append(c);
            }
        }
        return flag.toString();
    }

    /** The valid name closest to {@code name} if it is plausibly a typo of it, else null. */
    public static String closest(String name, Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : valid) {
            if (squash(candidate).equals(squash(name))) {
                return candidate;
            }
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        int allowed = Math.max(1, Math.min(3, name.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    private static String squash(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Edits from a to b, a swap of two neighbouring letters counting as one ("alpah" is one from "alpha"). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

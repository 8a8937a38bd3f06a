package dev.segment.config.internal;

import java.util.List;
import java.util.Set;

/** Range checks used by the configuration records' constructors; each failure names the field, value and rule. */
public final class Check {
    private Check() {}

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw fail(field, null, "must not be null");
        }
        return value;
    }

    public static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw fail(field, value, "must be a non-empty string");
        }
        return value;
    }

    /** Null means "not set"; a set value must not be blank. */
    public static String nullOrNotBlank(String field, String value) {
        if (value != null && value.isBlank()) {
            throw fail(field, value, "must be null (not set) or a non-empty path");
        }
        return value;
    }

    public static String oneOf(String field, String value, Set<String> allowed) {
        notNull(field, value);
        if (!allowed.contains(value)) {
            throw fail(field, value, "must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    public static void between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw fail(field, value, "must be between " + min + " and " + max);
        }
    }

    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw fail(field, value, "must be >= " + min);
        }
    }

    public static void between(String field, double value, double min, double max) {
        finite(field, value);
        if (!(value >= min && value <= max)) {
            throw fail(field, value, "must be between " + num(min) + " and " + num(max));
        }
    }

    public static void atLeast(String field, double value, double min) {
        finite(field, value);
        if (!(value >= min)) {
            throw fail(field, value, "must be >= " + num(min));
        }
    }

    public static void positive(String field, double value) {
        finite(field, value);
        if (!(value > 0)) {
            throw fail(field, value, "must be > 0");
        }
    }

    /** {@code 0 < value <= 1}. */
    public static void fraction(String field, double value) {
        finite(field, value);
        if (!(value > 0 && value <= 1)) {
            throw fail(field, value, "must be > 0 and <= 1");
        }
    }

    /** {@code value} is {@code sentinel} (meaning {@code sentinelMeaning}) or at least {@code min}. */
    public static void sentinelOrAtLeast(String field, long value, long sentinel, String sentinelMeaning, long min) {
        if (value != sentinel && value < min) {
            throw fail(field, value, "must be " + sentinel + " (" + sentinelMeaning + ") or >= " + min);
        }
    }

    public static void powerOfTwo(String field, int value, int min, int max) {
        if (value < min || value > max || Integer.bitCount(value) != 1) {
            throw fail(field, value, "must be a power of two between " + min + " and " + max);
        }
    }

    /** {@code value >= other}; reported on either field. */
    public static void notBelow(String field, long value, String otherField, long other) {
        if (value < other) {
            InvalidFieldException fromOther =
                    new InvalidFieldException(otherField, other, "must be <= %s (" + value + ")", List.of(field), null);
            throw new InvalidFieldException(
                    field, value, "must be >= %s (" + other + ")", List.of(otherField), fromOther);
        }
    }

    /** Two settings that must not be equal unless both are {@code unlessBoth}. */
    public static void differ(String field, long value, String otherField, long other, long unlessBoth) {
        if (value == other && value != unlessBoth) {
            InvalidFieldException fromOther = new InvalidFieldException(
                    otherField, other, "must differ from %s (" + value + ")", List.of(field), null);
            throw new InvalidFieldException(
                    field, value, "must differ from %s (" + other + ")", List.of(otherField), fromOther);
        }
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw fail(field, value, "must be a finite number");
        }
    }

    /** 1.0 is written 1, 0.35 stays 0.35. */
    private static String num(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static InvalidFieldException fail(String field, Object value, String rule) {
        return new InvalidFieldException(field, value, rule.replace("%", "%%"), List.of(), null);
    }
}

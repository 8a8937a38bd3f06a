package dev.segment.config.internal;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Thrown by a configuration record's constructor when one of its components is out of range.
 *
 * <p>Names are relative to the record; the binder prefixes them with the record's path to build a
 * {@link dev.segment.config.ConfigException}. A check spanning two fields carries an {@linkplain #alternative()
 * alternative} phrased from the other field's side, so the error can be reported on whichever field the user set.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private final String field;
    private final Object value;
    private final String rule;
    private final List<String> related;
    private final InvalidFieldException alternative;

    /**
     * @param rule what is allowed; each {@code %s} is replaced by one {@code related} field name, in order
     */
    InvalidFieldException(
            String field, Object value, String rule, List<String> related, InvalidFieldException alternative) {
        super(field + " = " + ValueText.of(value) + ": " + String.format(rule, related.toArray()));
        this.field = field;
        this.value = value;
        this.rule = rule;
        this.related = List.copyOf(related);
        this.alternative = alternative;
    }

    public String field() {
        return field;
    }

    public Object value() {
        return value;
    }

    /** Every field this check involves: the reported one first. */
    public List<String> fields() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(field), related.stream())
                .toList();
    }

    /** The rule with related field names mapped through {@code names} (e.g. to prefix them with a path). */
    public String rule(UnaryOperator<String> names) {
        return String.format(rule, related.stream().map(names).toArray());
    }

    /** The same conflict reported on the other field, or null for a single-field check. */
    public InvalidFieldException alternative() {
        return alternative;
    }
}

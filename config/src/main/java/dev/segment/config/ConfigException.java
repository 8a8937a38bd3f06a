package dev.segment.config;

/**
 * A configuration value, file or override that cannot be used. The message reads
 * {@code origin: field.path = value: what is allowed}, e.g.
 * {@code settings.yaml: crf.iterations = -3: must be between 1 and 100}.
 */
public final class ConfigException extends Exception {
    private final String origin;
    private final String fieldPath;
    private final String value;
    private final String problem;

    /**
     * @param origin the file or flag the value came from, e.g. {@code settings.yaml} or {@code --crf-iterations}
     * @param fieldPath dotted path of the field, or null when the problem is the file as a whole
     * @param value the offending value as text (strings quoted), or null when there is none
     * @param problem what is wrong or what is allowed
     */
    public ConfigException(String origin, String fieldPath, String value, String problem, Throwable cause) {
        super(message(origin, fieldPath, value, problem), cause);
        this.origin = origin;
        this.fieldPath = fieldPath;
        this.value = value;
        this.problem = problem;
    }

    public ConfigException(String origin, String fieldPath, String value, String problem) {
        this(origin, fieldPath, value, problem, null);
    }

    /** The file or flag the value came from. */
    public String origin() {
        return origin;
    }

    /** Dotted path of the offending field, or null when the problem is the file as a whole. */
    public String fieldPath() {
        return fieldPath;
    }

    /** The offending value as written in the message (strings quoted), or null. */
    public String value() {
        return value;
    }

    /** What is wrong or what is allowed, without the origin, path and value. */
    public String problem() {
        return problem;
    }

    private static String message(String origin, String fieldPath, String value, String problem) {
        StringBuilder message = new StringBuilder(String.valueOf(origin));
        if (fieldPath != null && !fieldPath.isEmpty()) {
            message.append(": ").append(fieldPath);
            if (value != null) {
                message.append(" = ").append(value);
            }
        }
        return message.append(": ").append(problem).toString();
    }
}

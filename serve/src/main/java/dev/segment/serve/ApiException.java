package dev.segment.serve;

import java.util.Objects;

/**
 * A request or a camera definition the service refuses: the HTTP status it maps to, the field (a JSON path such as
 * {@code zones.entry[2]}), the value given and what is wrong with it. Nothing has changed when it is thrown.
 */
public final class ApiException extends Exception {
    private final int status;
    private final String field;
    private final String value;
    private final String problem;

    public ApiException(int status, String field, String value, String problem) {
        super(field + (value == null ? "" : " = " + value) + ": " + problem);
        this.status = status;
        this.field = Objects.requireNonNull(field, "field");
        this.value = value;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** A 400: the request is malformed or a value is out of range. */
    public static ApiException bad(String field, String value, String problem) {
        return new ApiException(400, field, value, problem);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String problem() {
        return problem;
    }

    /** The same error for a field inside {@code parent} (e.g. {@code cameras[2]}). */
    public ApiException within(String parent) {
        ApiException e = new ApiException(status, parent + "." + field, value, problem);
        e.initCause(this);
        return e;
    }
}

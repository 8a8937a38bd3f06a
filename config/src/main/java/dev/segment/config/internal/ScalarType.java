package dev.segment.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The leaf types of the configuration (int, double, boolean, String, enums): strict conversion from JSON and text. */
public final class ScalarType {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private final Class<?> type;

    private ScalarType(Class<?> type) {
        this.type = type;
    }

    /** The scalar type of a record component, or null when the component is itself a record. */
    public static ScalarType of(Class<?> type) {
        if (type.isRecord()) {
            return null;
        }
        if (type == int.class
                || type == double.class
                || type == boolean.class
                || type == String.class
                || type.isEnum()) {
            return new ScalarType(type);
        }
        throw new IllegalStateException("unsupported configuration type " + type.getName());
    }

    /** What a value of this type looks like, e.g. "an integer" or "one of auto, cpu, cuda". */
    public String describe() {
        if (type == int.class) {
            return "an integer";
        }
        if (type == double.class) {
            return "a number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(c -> Names.of((Enum<?>) c))
                        .collect(Collectors.joining(", "));
    }

    /** The Java value of a non-null JSON node. */
    public Object fromNode(JsonNode node) throws TypeMismatch {
        if (type == int.class) {
            if (!node.isIntegralNumber()) {
                throw mismatch(node);
            }
            if (!node.canConvertToInt()) {
                throw new TypeMismatch("must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            }
            return node.intValue();
        }
        if (type == double.class) {
            if (!node.isNumber()) {
                throw mismatch(node);
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw new TypeMismatch("must be a finite number");
            }
            return value;
        }
        if (type == boolean.class) {
            if (!node.isBoolean()) {
                throw mismatch(node);
            }
            return node.booleanValue();
        }
        if (!node.isTextual()) {
            throw mismatch(node);
        }
        if (type == String.class) {
            return node.textValue();
        }
        for (Object constant : type.getEnumConstants()) {
            if (Names.of((Enum<?>) constant).equals(node.textValue())) {
                return constant;
            }
        }
        throw new TypeMismatch("must be " + describe());
    }

    /** The JSON node for a command-line text value; the binder then converts it like a file value. */
    public JsonNode parse(String text) throws TypeMismatch {
        String trimmed = text.strip();
        if (type == int.class) {
            if (!INTEGER.matcher(trimmed).matches()) {
                throw new TypeMismatch("must be " + describe());
            }
            try {
                return new IntNode(Integer.parseInt(trimmed));
            } catch (NumberFormatException e) {
                throw new TypeMismatch("must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            }
        }
        if (type == double.class) {
            if (!DECIMAL.matcher(trimmed).matches()) {
                throw new TypeMismatch("must be " + describe());
            }
            double value = Double.parseDouble(trimmed);
            if (!Double.isFinite(value)) {
                throw new TypeMismatch("must be a finite number");
            }
            return new DoubleNode(value);
        }
        if (type == boolean.class) {
            if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                return BooleanNode.valueOf(Boolean.parseBoolean(trimmed));
            }
            throw new TypeMismatch("must be " + describe());
        }
        return new TextNode(type == String.class ? text : trimmed);
    }

    /** The JSON node written for a Java value of this type. */
    public JsonNode toNode(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof Enum<?> e) {
            return new TextNode(Names.of(e));
        }
        if (value instanceof Integer i) {
            return new IntNode(i);
        }
        if (value instanceof Double d) {
            return new DoubleNode(d);
        }
        if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        }
        return new TextNode((String) value);
    }

    private TypeMismatch mismatch(JsonNode node) {
        return new TypeMismatch("must be " + describe() + " (got " + ValueText.kind(node) + ")");
    }
}

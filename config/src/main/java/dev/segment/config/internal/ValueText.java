package dev.segment.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Renders a configuration value for an error message: strings quoted, long values shortened. */
public final class ValueText {
    private static final int MAX = 80;

    private ValueText() {}

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return shorten(new TextNode(s).toString());
        }
        if (value instanceof Enum<?> e) {
            return '"' + Names.of(e) + '"';
        }
        return shorten(String.valueOf(value));
    }

    public static String of(JsonNode node) {
        return shorten(node.toString());
    }

    /** What kind of JSON value a node is, for "got ..." in type errors. */
    public static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a number with a fraction";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shorten(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX - 3) + "...";
    }
}

package dev.segment.config.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;

/** Turns a configuration record into a JSON tree with the same names and value forms the loader accepts. */
public final class TreeWriter {
    private TreeWriter() {}

    public static ObjectNode toTree(Object record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (RecordComponent component : Schema.components(record.getClass())) {
            Object value = Schema.get(record, component);
            if (component.getType().isRecord()) {
                node.set(component.getName(), toTree(value));
            } else {
                node.set(component.getName(), ScalarType.of(component.getType()).toNode(value));
            }
        }
        return node;
    }
}

package dev.segment.config.internal;

import dev.segment.config.Nullable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reflection over the configuration records: their fields, values and canonical constructors. */
public final class Schema {
    private Schema() {}

    public static List<RecordComponent> components(Class<?> record) {
        return List.of(record.getRecordComponents());
    }

    public static List<String> names(Class<?> record) {
        return components(record).stream().map(RecordComponent::getName).toList();
    }

    public static RecordComponent component(Class<?> record, String name) {
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component;
            }
        }
        return null;
    }

    public static boolean nullable(RecordComponent component) {
        return component.isAnnotationPresent(Nullable.class);
    }

    public static Object get(Object record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    /** Calls the canonical constructor; its range checks surface as {@link InvalidFieldException}. */
    public static <R> R construct(Class<R> record, Object[] values) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<R> constructor = record.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot construct " + record.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + record.getSimpleName(), e);
        }
    }

    /** Dotted paths of every leaf (non-record) field under {@code record}, in declaration order. */
    public static List<String> leafPaths(Class<?> record) {
        List<String> paths = new ArrayList<>();
        collect(record, "", paths);
        return List.copyOf(paths);
    }

    private static void collect(Class<?> record, String prefix, List<String> paths) {
        for (RecordComponent component : record.getRecordComponents()) {
            String path = prefix + component.getName();
            if (component.getType().isRecord()) {
                collect(component.getType(), path + ".", paths);
            } else {
                paths.add(path);
            }
        }
    }
}

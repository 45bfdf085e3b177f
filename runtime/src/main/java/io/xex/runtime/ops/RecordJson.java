package io.xex.runtime.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.matching.Command;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Commands and results as JSON for the admin API, by their record components: a command is an object
 * with {@code "@type"} (the record's simple name, e.g. {@code "PlaceOrder"}; not {@code "type"}, which is
 * a PlaceOrder component) and one field per component; enums by name, numbers as JSON numbers (exact:
 * these are the engine's integer units).
 *
 * <p>Stateless; thread-safe.
 */
final class RecordJson {
    /** The key that names a record's type. */
    static final String TYPE = "@type";

    private RecordJson() {
    }

    /** Any record (nested records, lists, enums, numbers, strings) as JSON. */
    static Object encode(Object value) {
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(encode(item)));
            return array;
        }
        if (value instanceof Record record) {
            JsonObject json = new JsonObject().put(TYPE, record.getClass().getSimpleName());
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    json.put(component.getName(), encode(component.getAccessor().invoke(record)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return json;
        }
        return value.toString();
    }

    /** A command from JSON; {@link IllegalArgumentException} names what is wrong. */
    static Command decodeCommand(JsonObject json) {
        String type = json.getString(TYPE);
        if (type == null) {
            throw new IllegalArgumentException("missing \"" + TYPE + "\"");
        }
        for (Class<?> candidate : Command.class.getPermittedSubclasses()) {
            if (candidate.getSimpleName().equals(type)) {
                return (Command) decodeRecord(candidate, json);
            }
        }
        throw new IllegalArgumentException("unknown command type \"" + type + "\"");
    }

    private static Object decodeRecord(Class<?> type, JsonObject json) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = field(json, components[i].getName(), types[i]);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** An integer that fits a long exactly; fractions, huge numbers and text are refused, never rounded. */
    private static long whole(String name, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("\"" + name + "\": " + value + " is not a whole number that fits 64 bits");
    }

    private static Object field(JsonObject json, String name, Class<?> type) {
        Object value = json.getValue(name);
        try {
            if (type == long.class) {
                return value == null ? 0L : whole(name, value);
            }
            if (type == int.class) {
                return value == null ? 0 : Math.toIntExact(whole(name, value));
            }
            if (type == String.class) {
                return value;
            }
            if (type.isEnum()) {
                if (value == null) {
                    return null;
                }
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(value)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("\"" + name + "\": \"" + value + "\" is not one of "
                    + List.of(type.getEnumConstants()));
            }
        } catch (ClassCastException | ArithmeticException e) {
            throw new IllegalArgumentException("\"" + name + "\": " + value + " is not a " + type.getSimpleName());
        }
        throw new IllegalStateException("no JSON mapping for " + type);
    }
}

package io.marketbridge.sandbox.odoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The shape of an Odoo call, without its values: transport, model, method, the kinds of its positional
 * arguments and the names of its keyword arguments (and of its context). Two calls of one shape are
 * accepted or refused alike by a real Odoo, so the shapes the service sends are held to those recorded
 * against real servers ({@code OdooCallShapesIT}). With a log file set, the simulator writes every shape
 * the service sends it there, once.
 */
final class OdooCallShapes {

    private static final Set<String> LOGGED = new HashSet<>();

    private OdooCallShapes() {
    }

    static String shape(String transport, String model, String method, List<?> positional, Map<?, ?> named) {
        String args = positional.stream().map(OdooCallShapes::kind).collect(Collectors.joining(", "));
        Set<String> names = new TreeSet<>();
        named.forEach((name, value) -> names.add(name.equals("context") && value instanceof Map<?, ?> context
                ? "context" + new TreeSet<>(context.keySet().stream().map(String::valueOf).toList()) : String.valueOf(name)));
        return transport + " " + model + "." + method + "(" + args + ") " + names;
    }

    private static String kind(Object value) {
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value == null ? "null" : "string";
    }

    /** Appends the shape to the log, once per process; the process's first shape starts the log afresh. */
    static void log(Path file, String shape) {
        synchronized (LOGGED) {
            boolean first = LOGGED.isEmpty();
            if (!LOGGED.add(shape)) {
                return;
            }
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                if (first) {
                    Files.deleteIfExists(file);
                }
                Files.writeString(file, shape + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

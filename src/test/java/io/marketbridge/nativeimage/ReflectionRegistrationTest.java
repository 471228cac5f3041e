package io.marketbridge.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a native image Jackson and JAXB see only the classes registered for reflection; an unregistered
 * one reads as empty or fails, at run time, on the first message. This finds every class of ours they
 * read or write (the classes named in readValue/convertValue/treeToValue/JAXBContext calls, those
 * carrying Jackson or JAXB annotations, and every class of ours inside them, field by field) and fails
 * for each one not registered where it lives (@RegisterForReflection on it or on a class around it).
 */
class ReflectionRegistrationTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String OURS = "io.marketbridge.";
    private static final Pattern READ = Pattern.compile(
            "(?:readValue|convertValue|treeToValue|readerFor|JAXBContext\\.newInstance)\\([^;]*?\\b([A-Z]\\w*)\\.class");

    @Test
    void everyClassJacksonOrJaxbReadsIsRegistered() throws Exception {
        Set<Class<?>> read = closure(roots());
        assertTrue(read.size() > 10, "found the classes read at run time: " + read);
        assertEquals(Set.of(), unregistered(read), "register these for reflection where they live");
    }

    /** The check itself: a class read by Jackson, and one inside it, unregistered, are both reported. */
    @Test
    void anUnregisteredClassIsReported() {
        assertEquals(Set.of(Unregistered.class.getName(), Inside.class.getName()),
                unregistered(closure(Set.of(Unregistered.class))));
        assertEquals(Set.of(), unregistered(closure(Set.of(Registered.class))));
    }

    record Inside(String value) {
    }

    record Unregistered(List<Inside> lines) {
    }

    @RegisterForReflection
    record Registered(String value) {
    }

    private static Set<Class<?>> roots() throws IOException, ClassNotFoundException {
        Set<Class<?>> roots = new HashSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).toList()) {
                String source = Files.readString(file);
                Class<?> type = load(SOURCES.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", ""));
                if (type == null) {
                    continue;
                }
                for (Class<?> declared : withNested(type)) {
                    if (annotatedForBinding(declared)) {
                        roots.add(declared);
                    }
                }
                Matcher reads = READ.matcher(source);
                while (reads.find()) {
                    Class<?> named = resolve(reads.group(1), source, type);
                    if (named != null) {
                        roots.add(named);
                    }
                }
            }
        }
        return roots;
    }

    private static Set<Class<?>> withNested(Class<?> type) {
        Set<Class<?>> all = new HashSet<>(Set.of(type));
        for (Class<?> nested : type.getDeclaredClasses()) {
            all.addAll(withNested(nested));
        }
        return all;
    }

    private static boolean annotatedForBinding(Class<?> type) {
        Stream<Annotation> annotations = Stream.concat(Stream.of(type.getAnnotations()),
                Stream.of(type.getDeclaredFields()).flatMap(f -> Stream.of(f.getAnnotations())));
        if (type.isRecord()) {
            annotations = Stream.concat(annotations,
                    Stream.of(type.getRecordComponents()).flatMap(c -> Stream.of(c.getAccessor().getAnnotations())));
        }
        return annotations.map(a -> a.annotationType().getPackageName())
                .anyMatch(p -> p.startsWith("com.fasterxml.jackson.annotation") || p.startsWith("jakarta.xml.bind.annotation"));
    }

    /** A simple name as the source file sees it: imported, in its own package, or nested in it. */
    private static Class<?> resolve(String simpleName, String source, Class<?> in) {
        Matcher imported = Pattern.compile("import (io\\.marketbridge[\\w.]*\\." + simpleName + ");").matcher(source);
        if (imported.find()) {
            return load(imported.group(1));
        }
        for (Class<?> nested : withNested(in)) {
            if (nested.getSimpleName().equals(simpleName)) {
                return nested;
            }
        }
        return load(in.getPackageName() + "." + simpleName);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ReflectionRegistrationTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The roots and every class of ours in their fields and record components, through lists, maps and optionals. */
    private static Set<Class<?>> closure(Set<Class<?>> roots) {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            Class<?> type = next.pop();
            if (!type.getName().startsWith(OURS) || type.isEnum() || !seen.add(type)) {
                continue;
            }
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    ours(field.getGenericType(), next);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    ours(component.getGenericType(), next);
                }
            }
        }
        return seen;
    }

    private static void ours(Type type, Deque<Class<?>> into) {
        if (type instanceof Class<?> c) {
            into.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            ours(p.getRawType(), into);
            for (Type argument : p.getActualTypeArguments()) {
                ours(argument, into);
            }
        } else if (type instanceof GenericArrayType a) {
            ours(a.getGenericComponentType(), into);
        }
    }

    private static Set<String> unregistered(Set<Class<?>> classes) {
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : classes) {
            if (!registered(type)) {
                missing.add(type.getName());
            }
        }
        return missing;
    }

    /** Registered on itself, or on an enclosing class that registers its nested classes. */
    private static boolean registered(Class<?> type) {
        if (type.isAnnotationPresent(RegisterForReflection.class)) {
            return true;
        }
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            RegisterForReflection around = outer.getAnnotation(RegisterForReflection.class);
            if (around != null && !around.ignoreNested()) {
                return true;
            }
        }
        return false;
    }
}

package io.marketbridge.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shape of the house, read from the production sources' imports: packages depend on each other
 * without a cycle, and a peer's package (Odoo, eBay, Cartona, Medusa) is imported by no other peer's.
 * The channel core, the admin API and the platform know no peer; peers plug into them.
 */
class ImportGraphTest {

    private static final Path SOURCES = Path.of("src/main/java/io/marketbridge");
    private static final Set<String> PEERS = Set.of("odoo", "ebay", "cartona", "medusa");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.marketbridge\\.([a-z0-9_]+)[.a-z0-9_]*\\.[A-Z]\\w*", Pattern.MULTILINE);

    /** Top-level package (subpackages count as their parent) → the top-level packages it imports, with the files. */
    private static Map<String, Map<String, Set<String>>> graph() throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String from = relative.getName(0).toString();
                if (relative.getNameCount() == 1) {
                    continue; // no class sits at the root
                }
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    String to = imports.group(1);
                    if (!to.equals(from)) {
                        graph.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>())
                                .add(relative.toString().replace('\\', '/'));
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void packagesDependOnEachOtherWithoutACycle() throws IOException {
        Map<String, Map<String, Set<String>>> graph = graph();
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            findCycles(graph, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(List.of(), cycles, "each cycle, with the files making its first step: " + cycles);
    }

    private static void findCycles(Map<String, Map<String, Set<String>>> graph, String start, List<String> path, List<String> cycles) {
        String last = path.get(path.size() - 1);
        for (var edge : graph.getOrDefault(last, Map.of()).entrySet()) {
            String next = edge.getKey();
            if (next.equals(start)) {
                // report each cycle once: from its alphabetically first package
                if (path.stream().allMatch(p -> p.compareTo(start) >= 0)) {
                    cycles.add(String.join(" -> ", path) + " -> " + start + " " + graph.get(start).get(path.size() > 1 ? path.get(1) : start));
                }
            } else if (!path.contains(next)) {
                path.add(next);
                findCycles(graph, start, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void noPackageImportsAnotherPeersPackage() throws IOException {
        Set<String> crossings = new TreeSet<>();
        graph().forEach((from, targets) -> targets.forEach((to, files) -> {
            if (PEERS.contains(to) && !to.equals(from)) {
                files.forEach(file -> crossings.add(file + " -> " + to));
            }
        }));
        assertEquals(Set.of(), crossings, "a peer's package is imported only by itself: flows connect peers in routes,"
                + " and a channel's own poll asks the system of record through the channels' ports (CatalogSource, DeliverySource)");
    }
}

package io.marketbridge.sandbox.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's Odoo calls held to the recorded real ones: every call shape the unit and Quarkus tests
 * made the service send the simulated Odoo ({@code target/odoo-call-shapes.txt}, written during the
 * test phase) must be one recorded against a real Odoo ({@code RealOdooIT}), or be listed with its
 * reason in {@code odoo-contract/unrecorded-calls.txt}. A client change real Odoo might refuse (a
 * keyword where a position was, a new context key) therefore fails the build until it is recorded.
 */
class OdooCallShapesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SENT = Path.of("target/odoo-call-shapes.txt");
    private static final Path UNRECORDED = OdooTranscriptTest.CONTRACTS.resolve("unrecorded-calls.txt");

    @Test
    void everyCallTheServiceSendsOdooWasRecordedAgainstARealOne() throws IOException {
        assertTrue(Files.exists(SENT), SENT + " is written by the test phase: run the unit tests first (./mvnw verify)");
        Set<String> sent = new TreeSet<>(Files.readAllLines(SENT));
        Set<String> recorded = recordedShapes();
        Set<String> listed = listedShapes();

        Set<String> unknown = new TreeSet<>(sent);
        unknown.removeAll(recorded);
        unknown.removeAll(listed);
        assertEquals(Set.of(), unknown, "calls never recorded against a real Odoo: record them (RealOdooIT) or list them, with why, in "
                + UNRECORDED);

        Set<String> nowRecorded = new TreeSet<>(listed);
        nowRecorded.retainAll(recorded);
        assertEquals(Set.of(), nowRecorded, "recorded since: remove them from " + UNRECORDED);
    }

    private static Set<String> recordedShapes() throws IOException {
        Set<String> shapes = new TreeSet<>();
        List<Path> transcripts;
        try (Stream<Path> files = Files.walk(OdooTranscriptTest.CONTRACTS)) {
            transcripts = files.filter(f -> f.toString().endsWith(".json")).toList();
        }
        for (Path transcript : transcripts) {
            for (JsonNode entry : JSON.readTree(transcript.toFile())) {
                if (entry.path("actor").asText("service").equals("service") && !entry.path("model").asText().equals("common")) {
                    shapes.add(OdooCallShapes.shape(entry.path("transport").asText(), entry.path("model").asText(),
                            entry.path("method").asText(), JSON.convertValue(entry.path("args"), List.class),
                            JSON.convertValue(entry.path("kwargs"), Map.class)));
                }
            }
        }
        return shapes;
    }

    private static Set<String> listedShapes() throws IOException {
        Set<String> shapes = new TreeSet<>();
        for (String line : Files.readAllLines(UNRECORDED)) {
            String shape = line.replaceAll("\\s*#.*$", "").strip();
            if (!shape.isEmpty()) {
                shapes.add(shape);
            }
        }
        return shapes;
    }
}

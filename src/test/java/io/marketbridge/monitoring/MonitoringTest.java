package io.marketbridge.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.marketbridge.testsupport.Commands;
import io.marketbridge.testsupport.Sandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules (k8s/monitoring) load in their tools' own
 * formats (Grafana's schema, promtool) and name only metrics the service defines, with the names
 * Prometheus gives them; the running service exposes the ones an import produces (received-to-done
 * latency as a histogram), the inbox's oldest pending age and whether it runs the pollers.
 */
@QuarkusTest
class MonitoringTest {

    private static final Path DASHBOARD = Path.of("k8s/monitoring/grafana-dashboard.json");
    private static final Path RULES = Path.of("k8s/monitoring/prometheus-rules.yaml");
    private static final Pattern OURS = Pattern.compile("\\bmarketbridge_[a-z_]+");
    private static final Pattern METER = Pattern.compile(
            "(counter|timer|Timer\\.builder|Gauge\\.builder|Counter\\.builder)\\(\"(marketbridge\\.[a-z._]+)\"");

    /** Every Prometheus name the sources define: counters end in _total, timers in _seconds_*, gauges as named. */
    private static Set<String> definedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher meter = METER.matcher(Files.readString(file));
                while (meter.find()) {
                    String name = meter.group(2).replace('.', '_');
                    switch (meter.group(1)) {
                        case "counter", "Counter.builder" -> names.add(name + "_total");
                        case "timer", "Timer.builder" -> List.of("_count", "_sum", "_max", "_bucket")
                                .forEach(suffix -> names.add(name + "_seconds" + suffix));
                        default -> names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private static List<String> expressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertFalse(dashboard.path("panels").isEmpty());
        for (JsonNode panel : dashboard.path("panels")) {
            assertFalse(panel.path("title").asText().isBlank());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
        }
        JsonNode rules = new YAMLMapper().readTree(RULES.toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertFalse(rule.path("alert").asText().isBlank());
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), rule.path("alert").asText());
                expressions.add(rule.path("expr").asText());
            }
        }
        return expressions;
    }

    @Test
    void theDashboardAndTheRulesNameOnlyMetricsTheServiceDefines() throws IOException {
        Set<String> defined = definedMetrics();
        Set<String> unknown = new TreeSet<>();
        List<String> expressions = expressions();
        assertTrue(expressions.size() > 15, "panels' and rules' queries: " + expressions.size());
        for (String expression : expressions) {
            Matcher metric = OURS.matcher(expression);
            assertTrue(metric.find(), "each query reads a Marketbridge metric: " + expression);
            do {
                if (!defined.contains(metric.group())) {
                    unknown.add(metric.group());
                }
            } while (metric.find());
        }
        assertEquals(Set.of(), unknown, "not defined by the service; defined: " + defined);
    }

    /** Prometheus' own checker reads the rules: its format, and each expression parsed as PromQL. */
    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Commands.run(Path.of("."), "bash", "src/test/monitoring/install-promtool.sh");
        String checked = Commands.run(Path.of("."), "/usr/bin/promtool", "check", "rules", RULES.toString());
        assertTrue(checked.contains("SUCCESS"), checked);
    }

    /**
     * Grafana's own dashboard schema (@grafana/schema's types) checks the dashboard: the JSON is
     * compiled as a {@code Dashboard} literal, so a misspelt or mistyped field fails the build.
     */
    @Test
    void grafanasSchemaAcceptsTheDashboard() throws Exception {
        Path home = Commands.npmInstall(Path.of("src/test/monitoring"), Path.of("target/monitoring-check"));
        Files.writeString(home.resolve("dashboard.ts"), "import type { Dashboard } from '@grafana/schema';\n"
                + "export const dashboard: Dashboard = " + Files.readString(DASHBOARD) + ";\n");
        Files.writeString(home.resolve("typo.ts"), "import type { Dashboard } from '@grafana/schema';\n"
                + "export const dashboard: Dashboard = " + Files.readString(DASHBOARD).replace("\"gridPos\"", "\"gridPoss\"") + ";\n");
        String compile = "node_modules/.bin/tsc --noEmit --strict --skipLibCheck --moduleResolution bundler --module esnext --target es2022 ";
        Commands.run(home, (compile + "dashboard.ts").split(" "));
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Commands.run(home, (compile + "typo.ts").split(" ")));
        assertTrue(refused.getMessage().contains("gridPoss"), "the check can fail: " + refused.getMessage());
    }

    @Test
    void theRunningServiceExposesLatencyAndLeadership() {
        String sku = Sandbox.newSku();
        JsonPath listed = Sandbox.list(Map.of("sku", sku, "title", "Metrics " + sku, "price", "9.00", "quantity", 1));
        Sandbox.deliver(listed.getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> Sandbox.productsBySku(sku).size() == 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/q/metrics").asString().lines()
                .anyMatch(line -> line.startsWith("marketbridge_events_latency_seconds_bucket{") && line.contains("le=\"1.0\"")
                        && line.contains("type=\"ebay.ItemListed\"")));
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("marketbridge_events_latency_seconds_count{type=\"ebay.ItemListed\"}"), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("marketbridge_leader ") && line.endsWith(" 1.0")),
                "this test service runs the pollers");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("marketbridge_inbox_oldest_pending_seconds ")), metrics);
    }
}

package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production build's jar as it runs in production: configured only by environment variables,
 * routes loaded from a directory at run time (so every component they use must be in the jar, not
 * quietly supplied by the test classpath), admin endpoints guarded, no simulators in it. The
 * simulated peers it talks to are another process, run from the default (demo) build.
 */
class PackagedJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PackagedPeers peers;

    @BeforeAll
    static void start() throws Exception {
        peers = new PackagedPeers();
    }

    @AfterAll
    static void stop() {
        peers.close();
    }

    private static Path tempDir(String prefix) throws Exception {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    @Test
    void theProductionJarHoldsNoSimulator() throws Exception {
        List<String> simulators = ProductionBuild.applicationEntries().stream()
                .filter(entry -> entry.contains("sandbox") || entry.endsWith("microprofile-config.properties")).toList();
        assertEquals(List.of(), simulators);
    }

    @Test
    void missingSettingsStopStartUpWithOneMessageAndNoSecret() throws Exception {
        ServiceProcess service = new ServiceProcess("misconfigured", PackagedPeers.SERVICE_PORT, Map.of(
                "MARKETBRIDGE_ODOO_API_KEY", "super-secret-odoo-key-123",
                "MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tempDir("misconfigured").resolve("db"),
                "QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28792"), ProductionBuild.jar());
        assertNotEquals(0, service.runToExit());
        String output = service.output();
        // each peer's own check names its settings, the peers in one order every start, the service's own last
        assertTrue(output.contains("missing required setting(s) marketbridge.ebay.app-id, marketbridge.ebay.dev-id, "
                + "marketbridge.ebay.cert-id, marketbridge.odoo.url, marketbridge.odoo.database, marketbridge.odoo.username, "
                + "marketbridge.admin.password"), output);
        assertTrue(output.contains("environment variables (MARKETBRIDGE_EBAY_APP_ID, MARKETBRIDGE_EBAY_DEV_ID, MARKETBRIDGE_EBAY_CERT_ID,"
                + " MARKETBRIDGE_ODOO_URL, MARKETBRIDGE_ODOO_DATABASE, MARKETBRIDGE_ODOO_USERNAME, MARKETBRIDGE_ADMIN_PASSWORD)"), output);
        assertFalse(output.contains("super-secret-odoo-key-123"), "a secret reached the log");
    }

    @Test
    void runsRoutesFromADirectoryWithGuardedAdminAndNoSandbox() throws Exception {
        Path routes = tempDir("routes");
        try (Stream<Path> packaged = Files.list(Path.of("routes"))) {
            for (Path file : packaged.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("heartbeat.yaml"), """
                - route:
                    id: custom-heartbeat
                    description: Added by an integration engineer, without a rebuild
                    from:
                      uri: timer:custom-heartbeat
                      parameters:
                        period: "200ms"
                      steps:
                        - log:
                            message: heartbeat
                            loggingLevel: DEBUG
                """);
        // an integration engineer's rule, in YAML: eBay orders are confirmed when paid and above 100, else left as quotations
        Path orders = routes.resolve("ebay-orders.yaml");
        String paid = "- simple: \"${body.paid()}\"";
        assertTrue(Files.readString(orders).contains(paid));
        Files.writeString(orders, Files.readString(orders).replace(paid, "- simple: \"${body.paid()} && ${body.total()} > 100\""));
        Map<String, String> env = new java.util.HashMap<>(PackagedPeers.serviceEnv(
                "jdbc:h2:file:" + tempDir("service").resolve("db") + ";WRITE_DELAY=0", null, null));
        env.put("MARKETBRIDGE_EBAY_API_URL", peers.peers.url("/sandbox/ebay")); // the simulated seller's orders
        env.put("MARKETBRIDGE_EBAY_AUTH_URL", peers.peers.url("/sandbox/ebay"));
        env.put("MARKETBRIDGE_EBAY_ENVIRONMENT", "sandbox");
        env.put("MARKETBRIDGE_EBAY_REFRESH_TOKEN", "sandbox-refresh-token");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_PERIOD", "1s");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_DELAY", "500ms");
        env.put("MARKETBRIDGE_ROUTES", "file:" + routes.toAbsolutePath() + "/*.yaml");
        env.put("MARKETBRIDGE_ROUTES_RELOAD", "true");
        env.put("MARKETBRIDGE_ROUTES_DIRECTORY", routes.toAbsolutePath().toString());
        env.put("MARKETBRIDGE_ODOO_API_KEY", "sandbox-odoo-key");
        try (ServiceProcess service = new ServiceProcess("service", PackagedPeers.SERVICE_PORT, env, ProductionBuild.jar()).start()) {
            assertEquals(401, service.get("/admin/status").statusCode());
            assertEquals(401, service.get("/hawtio/").statusCode());
            assertEquals(404, service.get("/sandbox/odoo/_stats").statusCode(), "no simulators in production");
            assertTrue(service.get("/").body().contains("href=\"/admin/\""), "the landing page links to the operator page");
            assertEquals(401, service.get("/admin/").statusCode());
            assertTrue(admin(service, "/admin/").contains("operator page") && admin(service, "/admin/admin.js").contains("/admin"),
                    "the operator page and its script come with the production build");

            String sku = "PKG-" + UUID.randomUUID();
            JsonNode listed = peers.list(Map.of("sku", sku, "title", "Packaged " + sku, "price", "5.00", "quantity", 2));
            assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    peers.odoo("product.product", List.of(List.of("default_code", "=", sku)), List.of("id")).size() == 1);

            String small = peers.createOrder(Map.of("lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "50.00"))));
            String large = peers.createOrder(Map.of("lines", List.of(Map.of("sku", sku, "quantity", 3, "price", "50.00"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> "sale".equals(saleOrderState(large)) && saleOrderState(small) != null);
            assertEquals("draft", saleOrderState(small), "paid, but 50.00 is not above 100: a quotation, as the edited rule says");

            JsonNode status = JSON.readTree(admin(service, "/admin/status"));
            JsonNode heartbeat = null;
            for (JsonNode flow : status.get("flows")) {
                if (flow.get("id").asText().equals("custom-heartbeat")) {
                    heartbeat = flow;
                }
            }
            assertTrue(heartbeat != null && heartbeat.get("exchanges").asLong() > 0, status.toPrettyString());
            assertEquals("Added by an integration engineer, without a rebuild", heartbeat.get("description").asText());

            // an integration engineer edits the route: it is reloaded, no restart
            Files.writeString(routes.resolve("heartbeat.yaml"), Files.readString(routes.resolve("heartbeat.yaml"))
                    .replace("without a rebuild", "and edited live"));
            await().atMost(Duration.ofSeconds(20)).until(() -> admin(service, "/admin/status").contains("Added by an integration engineer, and edited live"));

            // an event type no flow handles: a dead letter saying so, processed once a route for it is added and it is replayed
            assertEquals(200, PackagedPeers.deliver(service, peers.notification(Map.of("eventName", "ItemSuspended", "sku", sku))));
            await().atMost(Duration.ofSeconds(15)).until(() -> unrouted(service) != null);
            assertEquals("event-router", unrouted(service).path("flow").asText());
            Files.writeString(routes.resolve("ebay-suspended.yaml"), """
                    - route:
                        id: on-ebay.ItemSuspended
                        description: Added by an integration engineer for eBay's ItemSuspended
                        from:
                          uri: direct:on-ebay.ItemSuspended
                          steps:
                            - log: "eBay suspended a listing: ${body.key}"
                    """);
            await().atMost(Duration.ofSeconds(20)).until(() -> admin(service, "/admin/status").contains("\"on-ebay.ItemSuspended\""));
            var replayed = service.send(HttpRequest.newBuilder(URI.create(service.url("/admin/dead-letters/" + unrouted(service).path("id").asLong()
                    + "/replay"))).header("Authorization", PackagedPeers.adminAuthorization()).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, replayed.statusCode(), replayed.body());
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (JsonNode type : JSON.readTree(admin(service, "/admin/status")).get("events")) {
                    if (type.get("type").asText().equals("ebay.ItemSuspended")) {
                        return type.path("byStatus").path("DONE").asLong() == 1;
                    }
                }
                return false;
            });

            // Hawtio: the console behind the admin login, and its Jolokia endpoint seeing the routes
            assertTrue(admin(service, "/hawtio/").contains("<base href=\"/hawtio/\">"));
            String routesSeenByHawtio = admin(service, "/hawtio/jolokia/read/org.apache.camel:type=routes,*/RouteId,State");
            assertTrue(routesSeenByHawtio.contains("\"RouteId\":\"ebay-platform-notification\""), routesSeenByHawtio);
            assertTrue(routesSeenByHawtio.contains("\"RouteId\":\"custom-heartbeat\""), routesSeenByHawtio);

            JsonNode connections = JSON.readTree(admin(service, "/admin/connections"));
            assertTrue(connections.get(0).get("reachable").asBoolean(), connections.toPrettyString());

            assertEquals(200, service.get("/q/health/ready").statusCode());
            String metrics = service.get("/q/metrics").body();
            assertTrue(metrics.contains("marketbridge_events_received_total{outcome=\"accepted\",source=\"ebay\",type=\"ebay.ItemListed\"}"), metrics);
            assertTrue(metrics.contains("marketbridge_peer_requests_seconds_count{outcome=\"2xx\",peer=\"odoo\"}"), metrics);
            assertTrue(metrics.contains("marketbridge_inbox_depth"), metrics);
            assertFalse(service.output().contains("sandbox-odoo-key"), "a secret reached the log");
        }
    }

    private static String admin(ServiceProcess service, String path) throws Exception {
        var response = service.send(HttpRequest.newBuilder(URI.create(service.url(path))).header("Authorization", PackagedPeers.adminAuthorization()));
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The state of the simulated Odoo's sale order for an eBay order, or null while there is none. */
    private static String saleOrderState(String ebayOrderId) throws Exception {
        List<JsonNode> found = peers.odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + ebayOrderId)), List.of("state"));
        return found.isEmpty() ? null : found.get(0).path("state").asText();
    }

    /** The open dead letter of the ItemSuspended event, or null. */
    private static JsonNode unrouted(ServiceProcess service) throws Exception {
        for (JsonNode letter : JSON.readTree(admin(service, "/admin/dead-letters"))) {
            if (letter.path("eventType").asText().equals("ebay.ItemSuspended")
                    && letter.path("reason").asText().equals("no flow for type ebay.ItemSuspended")) {
                return letter;
            }
        }
        return null;
    }
}

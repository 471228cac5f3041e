package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A packaged-jar test bed: one jar process serves the simulated Odoo and eBay seller (it must
 * outlive the service under test), and the service under test is another jar process configured
 * like production, by environment variables only.
 */
final class PackagedPeers implements AutoCloseable {

    static final int PEERS_PORT = 28090;
    static final int SERVICE_PORT = 28091;
    static final String ADMIN_PASSWORD = "it-admin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final ServiceProcess peers;

    PackagedPeers() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "peers");
        peers = new ServiceProcess("peers", PEERS_PORT, Map.of(
                "QUARKUS_PROFILE", "demo",
                "MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml",
                "MARKETBRIDGE_SANDBOX_EBAY_ACTIVITY", "false",
                "MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + dir.resolve("peers"),
                "QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28790")).start();
    }

    /** Production-like settings for the service under test, pointed at the peers process. */
    static Map<String, String> serviceEnv(String jdbcUrl, String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("MARKETBRIDGE_ODOO_URL", "http://localhost:" + PEERS_PORT + "/sandbox/odoo");
        env.put("MARKETBRIDGE_ODOO_DATABASE", "sandbox");
        env.put("MARKETBRIDGE_ODOO_USERNAME", "marketbridge-bot");
        env.put("MARKETBRIDGE_ODOO_API_KEY", "sandbox-odoo-key");
        env.put("MARKETBRIDGE_EBAY_APP_ID", "Marketbridge-Sandbox-APP");
        env.put("MARKETBRIDGE_EBAY_DEV_ID", "marketbridge-sandbox-dev");
        env.put("MARKETBRIDGE_EBAY_CERT_ID", "SBX-marketbridge-cert");
        env.put("MARKETBRIDGE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("MARKETBRIDGE_DB_URL", jdbcUrl);
        if (user != null) {
            env.put("MARKETBRIDGE_DB_USERNAME", user);
            env.put("MARKETBRIDGE_DB_PASSWORD", password);
        }
        env.put("MARKETBRIDGE_PIPELINE_CLAIM_LEASE", "3s");
        env.put("MARKETBRIDGE_PIPELINE_RETRY_DELAY", "300ms");
        env.put("MARKETBRIDGE_PIPELINE_RETRY_DELAY_CAP", "1s");
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28791");
        return env;
    }

    /** A fresh H2 file database, or a fresh database on the given PostgreSQL. */
    static String[] newDatabase(String kind, String postgresJdbcUrl) throws IOException, SQLException {
        if (kind.equals("h2")) {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "service");
            return new String[] {"jdbc:h2:file:" + dir.resolve("marketbridge") + ";WRITE_DELAY=0", null, null};
        }
        String name = "marketbridge_it_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(postgresJdbcUrl, "postgres", "postgres")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return new String[] {postgresJdbcUrl.replace("/postgres?", "/" + name + "?"), "postgres", "postgres"};
    }

    /** A signed notification from the simulated seller, not delivered. */
    JsonNode list(Map<String, Object> listing) throws IOException, InterruptedException {
        return JSON.readTree(peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/ebay/listings?deliver=false")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(listing)))).body());
    }

    /** Any signed Platform Notification, e.g. {@code {"eventName":"ItemSuspended"}}, not delivered. */
    String notification(Map<String, Object> request) throws IOException, InterruptedException {
        return peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/ebay/notifications")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))).body();
    }

    /** A revision on eBay, its signed notification not delivered. */
    JsonNode revise(String itemId, Map<String, Object> changes) throws IOException, InterruptedException {
        return post("/sandbox/ebay/listings/" + itemId + "/revise?deliver=false", changes);
    }

    /** The listing ended on eBay, its signed ItemClosed not delivered. */
    JsonNode end(String itemId) throws IOException, InterruptedException {
        return post("/sandbox/ebay/listings/" + itemId + "/end?deliver=false", Map.of());
    }

    /** A commerce notification signed as eBay signs it: {@code body} and {@code signature}. */
    JsonNode signCommerceNotification(String topic, Map<String, Object> data) throws IOException, InterruptedException {
        return post("/sandbox/ebay/_commerce/sign", Map.of("topic", topic, "data", data, "notificationId", UUID.randomUUID().toString()));
    }

    /** An order placed on the simulated eBay; its id. */
    String createOrder(Map<String, Object> order) throws IOException, InterruptedException {
        return post("/sandbox/ebay/_orders", order).path("orderIds").path(0).asText();
    }

    void updateOrder(String orderId, Map<String, Object> changes) throws IOException, InterruptedException {
        post("/sandbox/ebay/_orders/" + orderId, changes);
    }

    /** shipping_fulfillment requests the simulated eBay received with this tracking number. */
    long fulfilmentsWithTracking(String tracking) throws IOException, InterruptedException {
        long count = 0;
        for (JsonNode received : JSON.readTree(peers.get("/sandbox/ebay/_fulfillment/stats").body()).path("received")) {
            count += tracking.equals(received.path("trackingNumber").asText()) ? 1 : 0;
        }
        return count;
    }

    /** An order a retailer placed on the simulated Cartona; its hashed_id. */
    String placeCartonaOrder(Map<String, Object> order) throws IOException, InterruptedException {
        return post("/sandbox/cartona/_orders", order).path("hashed_id").asText();
    }

    /** A retailer's change on the simulated Cartona, e.g. {@code cancelled_by_retailer}. */
    void changeCartonaOrder(String hashedId, String status) throws IOException, InterruptedException {
        post("/sandbox/cartona/_orders/" + hashedId + "/status", Map.of("status", status));
    }

    /** A retailer's edit on the simulated Cartona: the order's lines become these. */
    void editCartonaOrder(String hashedId, List<Map<String, Object>> details) throws IOException, InterruptedException {
        post("/sandbox/cartona/_orders/" + hashedId + "/details", Map.of("order_details", details));
    }

    /** The pieces of the product on the order as the simulated Cartona has them now. */
    int cartonaAmount(String hashedId, String internalProductId) throws IOException, InterruptedException {
        for (JsonNode line : JSON.readTree(peers.get("/sandbox/cartona/_orders/" + hashedId).body()).path("order_details")) {
            if (line.path("internal_product_id").asText().equals(internalProductId)) {
                return line.path("amount").asInt();
            }
        }
        return -1;
    }

    /** The statuses the simulated Cartona took for the order, in order. */
    List<String> cartonaStatuses(String hashedId) throws IOException, InterruptedException {
        List<String> statuses = new java.util.ArrayList<>();
        JSON.readTree(peers.get("/sandbox/cartona/_orders/" + hashedId).body()).path("status_history")
                .forEach(entry -> statuses.add(entry.path("status").asText()));
        return statuses;
    }

    private JsonNode post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        return JSON.readTree(peers.send(HttpRequest.newBuilder(URI.create(peers.url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))).body());
    }

    /** The {@code Authorization} header of the service's admin user. */
    static String adminAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the service's inbox has nothing due or running, on two status reports in a row. */
    static void awaitIdle(ServiceProcess service) {
        boolean[] idleBefore = {false};
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(30)).until(() -> {
            var status = service.send(HttpRequest.newBuilder(URI.create(service.url("/admin/status"))).header("Authorization", adminAuthorization()));
            JsonNode inbox = JSON.readTree(status.body()).path("inbox");
            boolean idle = status.statusCode() == 200 && inbox.path("due").asLong() == 0 && inbox.path("processing").asLong() == 0;
            boolean twice = idle && idleBefore[0];
            idleBefore[0] = idle;
            return twice;
        });
    }

    static int deliver(ServiceProcess service, String soap) throws IOException, InterruptedException {
        return service.send(HttpRequest.newBuilder(URI.create(service.url("/webhooks/ebay/platform")))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(soap))).statusCode();
    }

    List<JsonNode> odoo(String model, List<?> domain, List<String> fields) throws IOException, InterruptedException {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model, "search_read", List.of(domain),
                        Map.of("fields", fields, "context", Map.of("active_test", false)))));
        JsonNode reply = JSON.readTree(peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/odoo/jsonrpc")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call)))).body());
        List<JsonNode> rows = new java.util.ArrayList<>();
        reply.path("result").forEach(rows::add);
        return rows;
    }

    long odooCalls(String modelMethod) throws IOException, InterruptedException {
        return JSON.readTree(peers.get("/sandbox/odoo/_stats").body()).path("calls").path(modelMethod).asLong(0);
    }

    void odooFault(Map<String, Object> fault) throws IOException, InterruptedException {
        peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/odoo/_faults"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(fault))));
    }

    /** A fault in front of the simulated eBay's APIs (SandboxFaults). */
    void ebayFault(Map<String, Object> fault) throws IOException, InterruptedException {
        peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/ebay/_faults"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(fault))));
    }

    void clearOdooFaults() throws IOException, InterruptedException {
        peers.send(HttpRequest.newBuilder(URI.create(peers.url("/sandbox/odoo/_faults"))).DELETE());
    }

    @Override
    public void close() {
        peers.close();
    }
}

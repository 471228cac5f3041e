package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service is SIGKILLed after it acknowledged a notification and before (or while) it wrote
 * to Odoo; after a restart the product is written exactly once. Packaged jar, H2 file and PostgreSQL.
 */
class CrashRecoveryIT {

    private static PackagedPeers peers;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        peers = new PackagedPeers();
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        peers.close();
        postgres.close();
    }

    @AfterEach
    void clearFaults() throws Exception {
        peers.clearOdooFaults();
    }

    private ServiceProcess service(String[] database) throws Exception {
        return new ServiceProcess("service", PackagedPeers.SERVICE_PORT,
                PackagedPeers.serviceEnv(database[0], database[1], database[2]));
    }

    private JsonNode listing(String sku) throws Exception {
        return peers.list(Map.of("sku", sku, "title", "Crash test " + sku, "price", "10.00", "quantity", 6,
                "categoryName", "Crash:Tests"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void killedBeforeTheOdooWrite(String kind) throws Exception {
        String[] database = PackagedPeers.newDatabase(kind, postgres.getJdbcUrl("postgres", "postgres"));
        String sku = "CRASH-" + UUID.randomUUID();
        JsonNode listed = listing(sku);
        peers.odooFault(Map.of("down", true));
        try (ServiceProcess service = service(database).start()) {
            assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
            Thread.sleep(800);
            service.kill();
        }
        peers.clearOdooFaults();
        try (ServiceProcess service = service(database).start()) {
            assertWrittenOnce(service, sku, listed.get("itemId").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void killedWhileOdooCommitsTheWrite(String kind) throws Exception {
        String[] database = PackagedPeers.newDatabase(kind, postgres.getJdbcUrl("postgres", "postgres"));
        String sku = "CRASH-" + UUID.randomUUID();
        JsonNode listed = listing(sku);
        // Odoo creates the product, but its answer is held back: the service dies not knowing
        peers.odooFault(Map.of("model", "product.template", "method", "create", "match", sku, "replyDelayMillis", 10_000));
        long creates = peers.odooCalls("product.template.create");
        try (ServiceProcess service = service(database).start()) {
            assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
            await().atMost(Duration.ofSeconds(15)).until(() -> peers.odooCalls("product.template.create") == creates + 1);
            service.kill();
        }
        peers.clearOdooFaults();
        try (ServiceProcess service = service(database).start()) {
            assertWrittenOnce(service, sku, listed.get("itemId").asText());
        }
        assertEquals(creates + 1, peers.odooCalls("product.template.create"), "the restart must not create it again");
    }

    private void assertWrittenOnce(ServiceProcess service, String sku, String itemId) throws Exception {
        assertEquals(200, service.get("/q/health/ready").statusCode());
        await().atMost(Duration.ofSeconds(30)).until(() -> externalIds(itemId).size() == 1
                && products(sku).size() == 1 && products(sku).get(0).get("qty_available").asDouble() == 6.0);
        PackagedPeers.awaitIdle(service); // any late duplicate would show up now
        assertEquals(1, products(sku).size());
        assertEquals(1, externalIds(itemId).size());
    }

    private List<JsonNode> products(String sku) throws Exception {
        return peers.odoo("product.product", List.of(List.of("default_code", "=", sku)), List.of("qty_available"));
    }

    private List<JsonNode> externalIds(String itemId) throws Exception {
        return peers.odoo("ir.model.data", List.of(List.of("name", "=", "ebay_item_" + itemId)), List.of("res_id"));
    }
}

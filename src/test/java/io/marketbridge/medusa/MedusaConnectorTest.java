package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.marketbridge.sandbox.medusa.MedusaSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Medusa contract against the simulated Medusa, and what only the simulator can show: the calls a batch costs
 * (counted there), a refusal naming no product, a refused key, an outage, a silently dropped change, the connection
 * test's answers, and the simulator's own validation.
 */
@QuarkusTest
class MedusaConnectorTest extends MedusaConnectorContract {

    private static final String LOCATION = "sloc_sandbox";

    @BeforeEach
    void emptyStore() {
        given().delete("/sandbox/medusa/_faults").then().statusCode(200);
        given().delete("/sandbox/medusa/_products").then().statusCode(200);
    }

    @AfterEach
    void clearFaults() {
        given().delete("/sandbox/medusa/_faults").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("revoked", false)).post("/sandbox/medusa/_auth").then().statusCode(200);
    }

    @Test
    void aNewProductCostsFourCallsAndAChangeOnlyTheWritesItNeeds() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Linen shirt");
        accepted(medusa.push(shirts));
        assertEquals(Map.of("GET /admin/products", 1L, "POST /admin/products/batch", 1L, "GET /admin/inventory-items", 1L,
                "POST /admin/inventory-items/location-levels/batch", 1L), calls(), "a batch of new products costs four calls");
        assertTrue(asMedusaClient().get("/admin/products/" + onlyProduct(shirts.get(0).templateId()).path("id").asText())
                .then().statusCode(200).extract().asString().contains("\"amount\":19.99"), "19.99 is sent and kept as 19.99");
        long writes = stats().path("writes").asLong();

        medusa.push(shirts);
        assertEquals(writes, stats().path("writes").asLong(), "an unchanged batch is read, not written");

        accepted(medusa.push(withPrice(shirts, 1, "17.50")));
        assertEquals(writes + 1, stats().path("writes").asLong(), "a price change is one variants write");
        assertEquals(1L, calls().get("POST /admin/products/{id}/variants/batch"));
        assertEquals(1L, calls().get("POST /admin/products/batch"), "the product itself is not written");

        List<CatalogItem> grown = withPrice(shirts, 1, "17.50");
        grown.add(item(shirts.get(0).templateId(), "Linen shirt", 4, "Red", "XL", "27.00", 5));
        accepted(medusa.push(grown));
        assertEquals(writes + 4, stats().path("writes").asLong(), "a new size: its option value, its variant, its stock level");
        assertEquals(1L, calls().get("POST /admin/products/{id}/options/batch"));
        assertEquals(null, calls().get("POST /admin/products/{id}"), "never the product update that refuses options");
    }

    /** Pushed maxBatch() items at a time: template 12's variants straddle two pushes, so the second adds a value and variants. */
    @Test
    void oneHundredTwentyVariantsOfThirtyTemplatesCostAFewCallsPerBatch() throws IOException {
        List<CatalogItem> catalog = new ArrayList<>();
        long firstTemplate = newTemplateId();
        for (int t = 0; t < 30; t++) {
            catalog.addAll(shirt(firstTemplate + t, "Shirt " + t));
        }
        int batch = medusa.maxBatch();
        assertEquals(50, batch);
        for (int from = 0; from < catalog.size(); from += batch) {
            accepted(medusa.push(catalog.subList(from, Math.min(catalog.size(), from + batch))));
        }

        assertEquals(Map.of("GET /admin/products", 3L, "POST /admin/products/batch", 3L, "GET /admin/inventory-items", 3L,
                "POST /admin/inventory-items/location-levels/batch", 3L, "POST /admin/products/{id}/options/batch", 1L,
                "POST /admin/products/{id}/variants/batch", 1L), calls());
        assertEquals(30, stats().path("products").asInt());
        assertEquals(120, stats().path("variants").asInt());
        assertEquals(120, stats().path("inventoryItems").asInt());
        for (int t = 0; t < 30; t++) {
            assertEquals(4, onlyProduct(firstTemplate + t).path("variants").size(), "template " + t);
        }
        Map<String, Integer> stocked = stockedBySku(catalog.stream().map(CatalogItem::sku).toList());
        catalog.forEach(item -> assertEquals(item.quantity(), stocked.get(item.sku()), item.sku()));

        long reads = stats().path("reads").asLong();
        long writes = stats().path("writes").asLong();
        for (int from = 0; from < catalog.size(); from += batch) {
            medusa.push(catalog.subList(from, Math.min(catalog.size(), from + batch)));
        }
        assertEquals(reads + 6, stats().path("reads").asLong(), "an unchanged catalog costs two reads per batch");
        assertEquals(writes, stats().path("writes").asLong());
    }

    /** Issue 9: a refusal that names no product has the batch sent product by product; only the bad one is refused. */
    @Test
    void aRefusalNamingNoProductIsRetriedProductByProductSoOnlyTheBadOneIsRefused() throws IOException {
        List<CatalogItem> good = shirt(newTemplateId(), "Camp shirt");
        List<CatalogItem> bad = shirt(newTemplateId(), "Work shirt");
        List<CatalogItem> alsoGood = shirt(newTemplateId(), "Dress shirt");
        String refusal = "Invalid request: The 'options' property was removed in version 2.16.0. Please remove it from your request payload.";
        given().contentType(ContentType.JSON).body(Map.of("reject", Map.of("message", refusal)))
                .post("/sandbox/medusa/_skus/" + bad.get(2).sku()).then().statusCode(200);
        List<CatalogItem> batch = new ArrayList<>(good);
        batch.addAll(bad);
        batch.addAll(alsoGood);

        List<PushResult> results = medusa.push(batch);

        accepted(results.subList(0, 4));
        for (PushResult result : results.subList(4, 8)) {
            assertEquals(PushResult.Outcome.REJECTED, result.outcome(), result.toString());
            assertEquals("Medusa: invalid_data: " + refusal, result.reason());
        }
        accepted(results.subList(8, 12));
        assertEquals(4L, calls().get("POST /admin/products/batch"), "the batch, then each of its three products alone");
        assertEquals(2, stats().path("products").asInt());
        assertEquals(0, products(bad.get(0).templateId()).size());
        assertEquals(good.get(0).quantity(), stocked(good.get(0).sku()));

        fault(Map.of("path", "/admin/products/batch", "status", 400, "message", "Invalid request: Field 'create, 0, title' is required"));
        List<PushResult> refused = medusa.push(shirt(newTemplateId(), "Any shirt"));
        refused.forEach(r -> assertEquals("Medusa: invalid_data: Invalid request: Field 'create, 0, title' is required", r.reason()));
    }

    @Test
    void aSkuTheStoreRefusesIsRejectedWithItsMessageUntilTheStoreTakesIt() {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Camp shirt");
        String sku = shirts.get(1).sku();
        given().contentType(ContentType.JSON).body(Map.of("reject", Map.of("message", "Variant " + sku + ": price below the store minimum", "times", 1)))
                .post("/sandbox/medusa/_skus/" + sku).then().statusCode(200);

        List<PushResult> results = medusa.push(shirts);
        results.forEach(r -> assertEquals(PushResult.Outcome.REJECTED, r.outcome(), r.toString()));
        assertEquals("Medusa: invalid_data: Variant " + sku + ": price below the store minimum", results.get(1).reason());
        accepted(medusa.push(shirts));
    }

    @Test
    void aRefusedKeyIsPermanentAndNamesTheSetting() {
        given().contentType(ContentType.JSON).body(Map.of("revoked", true)).post("/sandbox/medusa/_auth").then().statusCode(200);
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(refused.getMessage().contains("marketbridge.medusa.api-key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("HTTP 401: Unauthorized"), refused.getMessage());

        given().contentType(ContentType.JSON).body(Map.of("revoked", false)).post("/sandbox/medusa/_auth").then().statusCode(200);
        fault(Map.of("status", 401, "times", 1));
        PermanentFailure bare = assertThrows(PermanentFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(bare.getMessage().contains("marketbridge.medusa.api-key"), bare.getMessage());
    }

    @Test
    void anUnavailableMedusaIsTransient() {
        fault(Map.of("path", "/admin/products/batch", "status", 503, "times", 1, "headers", Map.of("Retry-After", "7")));
        TransientFailure unavailable = assertThrows(TransientFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(unavailable.getMessage().contains("HTTP 503"), unavailable.getMessage());
        assertEquals(7, unavailable.retryAfter().orElseThrow().toSeconds());

        List<CatalogItem> shirts = shirt(newTemplateId(), "Some shirt");
        medusa.push(shirts);
        fault(Map.of("path", "/admin/products/", "method", "POST", "status", 500, "times", 1));
        assertThrows(TransientFailure.class, () -> medusa.push(withPrice(shirts, 0, "5.00")), "a variants write that fails is retried later");

        fault(Map.of("status", 429, "times", 1));
        assertThrows(TransientFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));

        fault(Map.of("down", true)); // until cleared: the JDK client retries a GET once on a closed connection
        assertThrows(TransientFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
    }

    @Test
    void aSilentlyDroppedPriceIsSeenByTheNextDryRunAndHealedByTheNextPush() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Chambray shirt");
        medusa.push(shirts);
        String sku = shirts.get(0).sku();
        given().contentType(ContentType.JSON).body(Map.of("silentDrop", true)).post("/sandbox/medusa/_skus/" + sku).then().statusCode(200);
        List<CatalogItem> cheaper = withPrice(shirts, 0, "9.99");

        accepted(medusa.push(cheaper));
        assertEquals(1, stats().path("dropped").asInt());
        assertEquals(List.of(sku + " price usd: 19.99 → 9.99"), medusa.plan(cheaper).get(0).differences());

        given().contentType(ContentType.JSON).body(Map.of("silentDrop", false)).post("/sandbox/medusa/_skus/" + sku).then().statusCode(200);
        medusa.push(cheaper);
        assertEquals(0, new BigDecimal("9.99").compareTo(variantBySku(sku).path("prices").path(0).path("amount").decimalValue()));
        assertEquals(MedusaConnector.Action.SKIP, medusa.plan(cheaper).get(0).action());
    }

    @Test
    void theConnectionTestChecksTheKeyAndTheStockLocation() {
        adminConnections().body("find { it.peer == 'medusa' }.reachable", is(true))
                .body("find { it.peer == 'medusa' }.error", nullValue());

        given().contentType(ContentType.JSON).body(Map.of("revoked", true)).post("/sandbox/medusa/_auth").then().statusCode(200);
        adminConnections().body("find { it.peer == 'medusa' }.reachable", is(true))
                .body("find { it.peer == 'medusa' }.error", containsString("marketbridge.medusa.api-key"));
        given().contentType(ContentType.JSON).body(Map.of("revoked", false)).post("/sandbox/medusa/_auth").then().statusCode(200);

        fault(Map.of("path", "/admin/stock-locations", "status", 404, "message", "Stock location with id: " + LOCATION + " was not found"));
        adminConnections().body("find { it.peer == 'medusa' }.error", containsString("marketbridge.medusa.stock-location-id"));
        given().delete("/sandbox/medusa/_faults").then().statusCode(200);

        fault(Map.of("down", true));
        adminConnections().body("find { it.peer == 'medusa' }.reachable", is(false));
    }

    /** The simulator's own validation, in Medusa 2.21.2's words. */
    @Test
    void theSimulatedMedusaValidatesAsMedusaDoes() {
        asMedusaClient().body(Map.of("create", List.of(Map.of("status", "published")))).post("/admin/products/batch")
                .then().statusCode(400).body("type", is("invalid_data")).body("message", containsString("'create, 0, title' is required"));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "T", "options", List.of(Map.of("title", "Size", "values", List.of("M"))),
                "variants", List.of(Map.of("title", "M", "sku", newSku(), "options", Map.of("Size", "M"),
                        "prices", List.of(Map.of("currency_code", "usd", "amount", "19.99"))))))))
                .post("/admin/products/batch").then().statusCode(400).body("type", is("invalid_data"))
                .body("message", is("Invalid request: Field 'create, 0, variants, 0, prices, 0, amount' is required"));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "T", "options", List.of(Map.of("title", "Size", "values", List.of("M"))),
                "variants", List.of(Map.of("title", "V", "sku", newSku(), "options", Map.of("Size", "XXL"),
                        "prices", List.of(Map.of("currency_code", "usd", "amount", 1))))))))
                .post("/admin/products/batch").then().statusCode(400).body("message", is("Option value XXL does not exist for option Size"));
        assertEquals(0, stats().path("products").asInt(), "a refused batch applies nothing");
        asMedusaClient().get("/admin/stock-locations/" + LOCATION).then().statusCode(200).body("stock_location.id", is(LOCATION));
        asMedusaClient().get("/admin/stock-locations/sloc_nope").then().statusCode(404)
                .body("message", is("Stock location with id: sloc_nope was not found"));
        asMedusaClient().body(Map.of("update", List.of(Map.of("id", "variant_missing", "title", "T"))))
                .post("/admin/products/prod_missing/variants/batch").then().statusCode(400)
                .body("message", is("Cannot update non-existing variants with ids: variant_missing"));
        assertEquals(MedusaSandbox.SECRET_KEY, setting("marketbridge.medusa.api-key"));
    }

    // --- the simulator's counters and controls ----------------------------------------------------------

    private static JsonNode stats() {
        try {
            return JSON.readTree(given().get("/sandbox/medusa/_stats").then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Long> calls() {
        Map<String, Long> calls = new HashMap<>();
        stats().path("calls").properties().forEach(e -> calls.put(e.getKey(), e.getValue().asLong()));
        calls.remove("GET /admin/shipping-profiles"); // read once per run, by whichever test first creates a product
        return calls;
    }

    private static void fault(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post("/sandbox/medusa/_faults").then().statusCode(200);
    }

    private static ValidatableResponse adminConnections() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200);
    }
}

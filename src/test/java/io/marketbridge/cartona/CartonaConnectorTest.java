package io.marketbridge.cartona;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.marketbridge.channels.PushResult.Outcome;
import io.marketbridge.config.RequiredSettings;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.marketbridge.testsupport.ServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odoo's catalog pushed to Cartona through the connector, counted and checked at the simulated Cartona: one
 * bulk-update per batch of 100, prices as 2-decimal strings, per-product refusals with Cartona's message, and the
 * whole call's failures classified (503 and 429 transient, a refused token permanent and named).
 */
@QuarkusTest
class CartonaConnectorTest {

    private static final String BULK_UPDATE = "/api/v1/supplier-product/bulk-update";

    @Inject
    CartonaConnector cartona;

    @BeforeEach
    void freshSupplierAccount() {
        given().delete("/sandbox/cartona/_products").then().statusCode(200);
        given().delete("/sandbox/cartona/_faults").then().statusCode(200);
    }

    @AfterEach
    void clearFaults() {
        given().delete("/sandbox/cartona/_faults").then().statusCode(200);
        given().delete("/sandbox/cartona/_rules").then().statusCode(200);
    }

    /** Odoo variant ids, unique across the tests' supplier accounts. */
    private static final AtomicLong VARIANT_IDS = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 900_000_000));

    private static CatalogItem item(String sku, String price, int quantity) {
        return item(VARIANT_IDS.incrementAndGet(), sku, price, quantity);
    }

    private static CatalogItem item(long variantId, String sku, String price, int quantity) {
        return new CatalogItem(sku, variantId, 2000 + quantity, "Template " + sku, "Product " + sku, null,
                new BigDecimal(price), "EGP", quantity, Map.of(), null);
    }

    /** Products the supplier already holds on Cartona (onboarded), new prices and stock to push. */
    private static List<CatalogItem> items(int count) {
        List<CatalogItem> items = newItems(count);
        onboard(items);
        return items;
    }

    /** Products Cartona has never heard of. */
    private static List<CatalogItem> newItems(int count) {
        return IntStream.range(0, count).mapToObj(i -> item(newSku(), (10 + i) + "." + (i % 2 == 0 ? "5" : "25"), i)).toList();
    }

    private static void onboard(List<CatalogItem> items) {
        given().contentType(ContentType.JSON).body(items.stream().map(CartonaConnectorTest::id).toList()).post("/sandbox/cartona/_products")
                .then().statusCode(200);
    }

    /** Cartona's key of the item: its Odoo variant id, by default. */
    private static String id(CatalogItem item) {
        return String.valueOf(item.productId());
    }

    private static JsonPath stats() {
        return given().get("/sandbox/cartona/_stats").then().statusCode(200).extract().jsonPath();
    }

    private static int bulkUpdateCalls() {
        Integer calls = stats().get("calls.'POST supplier-product/bulk-update'");
        return calls == null ? 0 : calls;
    }

    private static JsonPath product(String id) {
        return given().get("/sandbox/cartona/_products/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void fault(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post("/sandbox/cartona/_faults").then().statusCode(200);
    }

    private static void rules(Map<String, Object> rules) {
        given().contentType(ContentType.JSON).body(rules).post("/sandbox/cartona/_rules").then().statusCode(200);
    }

    private static JsonPath connections() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void twoHundredFiftyProductsGoInThreeBulkUpdatesAndCartonaHoldsThemAsSent() {
        List<CatalogItem> catalog = items(250);
        assertEquals(100, cartona.maxBatch());
        List<PushResult> results = new ArrayList<>();
        for (int from = 0; from < catalog.size(); from += cartona.maxBatch()) {
            results.addAll(cartona.push(catalog.subList(from, Math.min(catalog.size(), from + cartona.maxBatch()))));
        }

        assertEquals(3, bulkUpdateCalls());
        assertEquals(250, stats().getInt("itemsReceived"));
        assertEquals(250, results.size());
        Map<String, Map<String, Object>> held = new HashMap<>();
        for (int page = 1; page <= 3; page++) {
            List<Map<String, Object>> products = given().header("AuthorizationToken", "sandbox-cartona-token")
                    .get("/sandbox/cartona/api/v1/supplier-product?page=" + page + "&per_page=100")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            products.forEach(p -> held.put((String) p.get("internal_product_id"), p));
        }
        assertEquals(250, held.size());
        for (int i = 0; i < catalog.size(); i++) {
            CatalogItem sent = catalog.get(i);
            assertEquals(PushResult.accepted(sent.sku()), results.get(i));
            Map<String, Object> product = held.get(id(sent));
            assertEquals(sent.price().setScale(2).toPlainString(), product.get("selling_price"), sent.sku());
            assertEquals(sent.quantity(), product.get("available_stock_quantity"), sent.sku());
            assertEquals(false, product.get("is_unlimited_stock"), sent.sku());
        }
        // on the wire: the last batch's 50 entries, exactly the documented fields, the price a string with two decimals
        List<Map<String, Object>> wire = given().get("/sandbox/cartona/_last-bulk-update").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(50, wire.size());
        for (int i = 0; i < wire.size(); i++) {
            CatalogItem sent = catalog.get(200 + i);
            assertEquals(Map.of("internal_product_id", id(sent), "selling_price", sent.price().setScale(2).toPlainString(),
                    "available_stock_quantity", sent.quantity(), "is_unlimited_stock", false), wire.get(i));
        }
        assertEquals("210.50", wire.get(0).get("selling_price"));

        // the same products again: updated in place, not listed twice
        cartona.push(List.of(item(catalog.get(0).productId(), catalog.get(0).sku(), "9.99", 3)));
        assertEquals("9.99", product(id(catalog.get(0))).getString("selling_price"));
        assertEquals(3, product(id(catalog.get(0))).getInt("available_stock_quantity"));
        assertEquals(250, stats().getInt("products"));
    }

    @Test
    void aProductCartonaRefusesIsRejectedWithItsMessageWhileTheOthersAreApplied() {
        List<CatalogItem> batch = items(3);
        String archived = batch.get(1).sku();
        rules(Map.of("reject", Map.of(id(batch.get(1)), "product is archived")));

        List<PushResult> results = cartona.push(batch);

        assertEquals(Outcome.ACCEPTED, results.get(0).outcome());
        assertEquals(PushResult.rejected(archived, "product is archived"), results.get(1));
        assertEquals(Outcome.ACCEPTED, results.get(2).outcome());
        assertEquals(1, bulkUpdateCalls());
        assertEquals("12.50", product(id(batch.get(2))).getString("selling_price"));
        assertNull(product(id(batch.get(1))).getString("selling_price"), "not applied");
    }

    @Test
    void aProductCartonaDoesNotHoldIsRefusedAloneAndNotCreatedWhileTheOthersOfTheBatchAreApplied() {
        List<CatalogItem> known = items(2);
        CatalogItem unknown = newItems(1).get(0);
        List<CatalogItem> batch = List.of(known.get(0), unknown, known.get(1));

        List<PushResult> results = cartona.push(batch);

        assertEquals(List.of(PushResult.accepted(known.get(0).sku()), PushResult.rejected(unknown.sku(), "product not found"),
                PushResult.accepted(known.get(1).sku())), results);
        assertEquals(1, bulkUpdateCalls(), "one call for the batch");
        given().get("/sandbox/cartona/_products/" + id(unknown)).then().statusCode(404);
        assertEquals(known.get(1).price().setScale(2).toPlainString(), product(id(known.get(1))).getString("selling_price"));
        assertEquals(2, stats().getInt("products"), "nothing created");

        // where the supplier's Cartona catalog follows Odoo's (the demo's simulated supplier), it is added
        rules(Map.of("createUnknown", true));
        assertEquals(List.of(PushResult.accepted(unknown.sku())), cartona.push(List.of(unknown)));
        assertEquals(unknown.price().setScale(2).toPlainString(), product(id(unknown)).getString("selling_price"));
    }

    @Test
    void theProductKeyIsTheOdooVariantIdByDefaultOrTheInternalReference() {
        CatalogItem item = item(4242, "SKU-4242", "1.00", 1);
        Map<String, String> settings = new HashMap<>();
        assertEquals(CartonaConfig.ProductKey.ODOO_VARIANT_ID, config(settings).productKey());
        assertEquals("4242", new CartonaConnector(config(settings), null, null).internalProductId(item));
        assertEquals("4242", cartona.internalProductId(item), "the running service's");

        settings.put("marketbridge.cartona.product-key", "default-code");
        CartonaConnector bySku = new CartonaConnector(config(settings), null, null);
        assertEquals("SKU-4242", bySku.internalProductId(item));
        assertNull(bySku.internalProductId(item(4243, " ", "1.00", 1)), "no internal reference: nothing to key it by");
    }

    @Test
    void aSilentlyDroppedProductIsReportedAcceptedButNotAppliedAtCartona() {
        List<CatalogItem> batch = items(2);
        rules(Map.of("drop", List.of(id(batch.get(0)))));

        assertTrue(cartona.push(batch).stream().allMatch(r -> r.outcome() == Outcome.ACCEPTED), "Cartona said so");
        assertNull(product(id(batch.get(0))).getString("selling_price"), "never priced");
        assertEquals(1, stats().getInt("itemsDropped"));
        assertEquals(1, stats().getInt("itemsApplied"));
    }

    @Test
    void otherShapesOfPerProductFailuresAreReadToo() {
        List<CatalogItem> batch = items(3);
        String a = batch.get(0).sku();
        String b = batch.get(1).sku();
        String c = batch.get(2).sku();
        String idA = id(batch.get(0));
        String idB = id(batch.get(1));
        String idC = id(batch.get(2));

        // a status per product, successes included
        fault(Map.of("path", BULK_UPDATE, "status", 200, "times", 1, "body", List.of(
                Map.of("internal_product_id", idA, "success", true),
                Map.of("internal_product_id", idB, "success", false, "message", "price below the minimum"),
                Map.of("internal_product_id", idC, "status", "updated"))));
        assertEquals(List.of(PushResult.accepted(a), PushResult.rejected(b, "price below the minimum"), PushResult.accepted(c)),
                cartona.push(batch));

        // Laravel-style validation errors keyed by position, and ids only with a general message
        fault(Map.of("path", BULK_UPDATE, "status", 201, "times", 1, "body", Map.of("message", "partially updated",
                "errors", Map.of("2.available_stock_quantity", List.of("The stock must be at least 0.")))));
        assertEquals(List.of(PushResult.accepted(a), PushResult.accepted(b), PushResult.rejected(c, "The stock must be at least 0.")),
                cartona.push(batch));
        fault(Map.of("path", BULK_UPDATE, "status", 200, "times", 1, "body", Map.of("message", "not in your catalog",
                "failed_products", List.of(idA))));
        assertEquals(List.of(PushResult.rejected(a, "not in your catalog"), PushResult.accepted(b), PushResult.accepted(c)),
                cartona.push(batch));

        // a 2xx without any failure list accepts the whole batch
        fault(Map.of("path", BULK_UPDATE, "status", 200, "times", 1, "body", "OK"));
        assertTrue(cartona.push(batch).stream().allMatch(r -> r.outcome() == Outcome.ACCEPTED));
    }

    @Test
    void unavailableAndThrottledCartonaAreTransientAndTheWaitIsHonoured() {
        List<CatalogItem> batch = items(2);
        fault(Map.of("path", BULK_UPDATE, "status", 503, "times", 1));
        TransientFailure unavailable = assertThrows(TransientFailure.class, () -> cartona.push(batch));
        assertTrue(unavailable.getMessage().contains("HTTP 503"), unavailable.getMessage());
        assertTrue(unavailable.getMessage().contains("Service Unavailable"), unavailable.getMessage());

        fault(Map.of("path", BULK_UPDATE, "status", 429, "times", 1, "headers", Map.of("Retry-After", "7")));
        TransientFailure throttled = assertThrows(TransientFailure.class, () -> cartona.push(batch));
        assertEquals(Duration.ofSeconds(7), throttled.retryAfter().orElseThrow());
        assertTrue(throttled.getMessage().contains("Too Many Attempts."), throttled.getMessage());

        fault(Map.of("path", BULK_UPDATE, "down", true, "times", 1));
        assertThrows(TransientFailure.class, () -> cartona.push(batch));

        assertEquals(3, bulkUpdateCalls(), "every failed call reached Cartona");
        assertEquals(0, stats().getInt("itemsApplied"), "none of them applied anything");
        cartona.push(batch);
        assertEquals(2, stats().getInt("itemsApplied"));
    }

    @Test
    void aRefusedTokenIsPermanentAndNamesTheSettingAlsoInTheConnectionTest() {
        JsonPath connected = connections();
        assertEquals(true, connected.getBoolean("find { it.peer == 'cartona' }.reachable"));
        assertNull(connected.getString("find { it.peer == 'cartona' }.error"));
        assertEquals(2, stats().getInt("calls.'GET supplier-product'"), "the connection test reads one product page per supplier account");

        rules(Map.of("token", "regenerated-in-the-cartona-portal"));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> cartona.push(items(1)));
        assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
        assertTrue(refused.getMessage().contains("marketbridge.cartona.token"), refused.getMessage());
        assertTrue(refused.getMessage().contains("MARKETBRIDGE_CARTONA_TOKEN"), refused.getMessage());

        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'cartona' }.reachable", is(true))
                .body("find { it.peer == 'cartona' }.error", containsString("refused the token"))
                .body("find { it.peer == 'cartona' }.error", containsString("marketbridge.cartona.token"));
        assertEquals(2, stats().getInt("unauthorized"));

        given().delete("/sandbox/cartona/_rules").then().statusCode(200);
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'cartona' }.error", nullValue());
    }

    @Test
    void otherRefusalsOfTheWholeCallArePermanentWithCartonasText() {
        fault(Map.of("path", BULK_UPDATE, "status", 422, "times", 1, "message", "The selected supplier is suspended."));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> cartona.push(items(1)));
        assertTrue(refused.getMessage().contains("HTTP 422") && refused.getMessage().contains("The selected supplier is suspended."),
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cartona.push(items(101)), "more than a batch is the caller's mistake");
    }

    @Test
    void theSimulatedCartonaRefusesMoreThanOneHundredProductsAndMalformedEntriesAlone() {
        List<Map<String, Object>> tooMany = IntStream.range(0, 101).mapToObj(i -> Map.<String, Object>of("internal_product_id", "P-" + i,
                "selling_price", "1.00", "available_stock_quantity", 1, "is_unlimited_stock", false)).toList();
        given().header("AuthorizationToken", "sandbox-cartona-token").contentType(ContentType.JSON).body(tooMany)
                .post("/sandbox/cartona/api/v1/supplier-product/bulk-update").then().statusCode(422)
                .contentType(containsString("text/plain")).body(containsString("at most 100 products"));
        given().contentType(ContentType.JSON).body(tooMany.subList(0, 1))
                .post("/sandbox/cartona/api/v1/supplier-product/bulk-update").then().statusCode(401);

        given().contentType(ContentType.JSON).body(List.of("P-0")).post("/sandbox/cartona/_products").then().statusCode(200);
        Map<String, Object> priceAsNumber = new HashMap<>(tooMany.get(1));
        priceAsNumber.put("selling_price", 1.5);
        given().header("AuthorizationToken", "sandbox-cartona-token").contentType(ContentType.JSON)
                .body(List.of(tooMany.get(0), priceAsNumber, Map.of("selling_price", "2.00")))
                .post("/sandbox/cartona/api/v1/supplier-product/bulk-update").then().statusCode(200)
                .body("updated_count", is(1))
                .body("failed[0].internal_product_id", is("P-1"))
                .body("failed[0].message", containsString("selling_price must be a string"))
                .body("failed[1].index", is(2))
                .body("failed[1].message", is("internal_product_id is required"));
        assertEquals("1.00", product("P-0").getString("selling_price"));

        given().header("AuthorizationToken", "sandbox-cartona-token").get("/sandbox/cartona/api/v1/supplier-product?page=1&per_page=5")
                .then().statusCode(200).body("size()", is(1)).body("[0].internal_product_id", is("P-0"));
        given().header("AuthorizationToken", "sandbox-cartona-token").get("/sandbox/cartona/api/v1/supplier-product?page=0")
                .then().statusCode(400).body("message", containsString("page must be 1 or more"));
    }

    @Test
    void aBatchSizeAboveCartonasLimitStopsStartUpWithAClearMessage() {
        Map<String, String> settings = new HashMap<>(Map.of("marketbridge.cartona.url", "https://supplier-integrations.cartona.com/api/v1/",
                "marketbridge.cartona.token", "token"));
        RequiredSettings.verify(List.of(new CartonaRequiredSettings(config(settings)))); // the defaults are valid

        settings.put("marketbridge.cartona.batch-size", "150");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RequiredSettings.verify(List.of(new CartonaRequiredSettings(config(settings)))));
        assertEquals("Marketbridge cannot start: invalid setting(s) marketbridge.cartona.batch-size is 150, but Cartona takes 1 to 100"
                + " products per bulk-update (MARKETBRIDGE_CARTONA_BATCH_SIZE).", refused.getMessage());
    }

    private static CartonaConfig config(Map<String, String> settings) {
        return ServiceConfig.mapping(CartonaConfig.class, settings);
    }
}

package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.marketbridge.sandbox.medusa.MedusaSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odoo's catalog on Medusa through the running service's connector and the simulated Medusa: one product
 * per template with its options and variants, prices in major units, stock at the location, updates in
 * place, a bounded number of calls per batch, the dry run, and each kind of refusal and failure. Every
 * effect is read back from the simulator over HTTP, and calls are counted there.
 */
@QuarkusTest
class MedusaConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String LOCATION = "sloc_sandbox";

    @Inject
    MedusaConnector medusa;

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
    void aTemplateWithTwoAttributesBecomesOneProductWithItsOptionsVariantsPricesAndStock() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Linen shirt");

        List<PushResult> results = medusa.push(shirts);
        Map<String, Long> calls = calls(); // before this test's own reads of the simulator

        assertEquals(shirts.stream().map(CatalogItem::sku).toList(), results.stream().map(PushResult::sku).toList());
        results.forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome(), r.toString()));
        JsonNode product = onlyProduct(shirts.get(0).templateId());
        assertEquals("Linen shirt", product.path("title").asText());
        assertEquals("published", product.path("status").asText());
        assertEquals(Map.of("Color", Set.of("Red", "Blue"), "Size", Set.of("M", "L")), options(product));
        assertEquals(4, product.path("variants").size());
        for (CatalogItem item : shirts) {
            JsonNode variant = variant(product, item.sku());
            assertEquals(item.name(), variant.path("title").asText());
            assertEquals(item.attributes(), variantOptions(variant));
            assertEquals("usd", variant.path("prices").path(0).path("currency_code").asText());
            assertEquals(0, item.price().compareTo(variant.path("prices").path(0).path("amount").decimalValue()),
                    "major units: " + item.price() + " stays " + item.price());
            assertTrue(variant.path("manage_inventory").asBoolean());
            assertEquals(item.productId(), variant.path("metadata").path("odoo_product_id").asLong());
            assertEquals(item.barcode(), variant.path("metadata").path("barcode").asText());
            assertEquals(item.quantity(), stocked(item.sku()), "stocked quantity of " + item.sku() + " at " + LOCATION);
        }
        assertTrue(admin("/admin/products/" + product.path("id").asText()).contains("\"amount\":19.99"), "19.99 is sent and kept as 19.99");
        assertEquals(Map.of("GET /admin/products", 1L, "POST /admin/products/batch", 1L, "GET /admin/inventory-items", 1L,
                "POST /admin/inventory-items/location-levels/batch", 1L), calls, "a batch costs four calls");
    }

    @Test
    void pushingAgainUpdatesInPlaceAndAPriceChangeChangesOnlyThatPrice() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Oxford shirt");
        medusa.push(shirts);
        JsonNode before = onlyProduct(shirts.get(0).templateId());
        long writes = stats().path("writes").asLong();

        medusa.push(shirts);
        assertEquals(writes, stats().path("writes").asLong(), "an unchanged batch is read, not written");

        List<CatalogItem> changed = new ArrayList<>(shirts);
        changed.set(1, withPrice(shirts.get(1), "17.50"));
        List<PushResult> results = medusa.push(changed);

        results.forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome(), r.toString()));
        assertEquals(writes + 1, stats().path("writes").asLong(), "one products batch, no stock write");
        JsonNode after = onlyProduct(shirts.get(0).templateId());
        assertEquals(1, stats().path("products").asInt());
        assertEquals(4, stats().path("variants").asInt(), "no duplicate variant");
        assertEquals(before.path("id"), after.path("id"));
        for (CatalogItem item : shirts) {
            JsonNode was = variant(before, item.sku());
            JsonNode is = variant(after, item.sku());
            assertEquals(was.path("id"), is.path("id"), "variant " + item.sku() + " updated in place");
            if (item.sku().equals(shirts.get(1).sku())) {
                assertEquals(0, new BigDecimal("17.50").compareTo(is.path("prices").path(0).path("amount").decimalValue()));
                assertEquals(was.path("prices").path(0).path("id"), is.path("prices").path(0).path("id"), "the same price record");
            } else {
                assertEquals(was, is, "variant " + item.sku() + " untouched");
            }
            assertEquals(item.quantity(), stocked(item.sku()));
        }

        List<CatalogItem> restocked = new ArrayList<>(changed);
        restocked.set(2, withQuantity(changed.get(2), 40));
        medusa.push(restocked);
        assertEquals(writes + 2, stats().path("writes").asLong(), "a quantity change is one stock write");
        assertEquals(40, stocked(changed.get(2).sku()));
        assertEquals(after, onlyProduct(shirts.get(0).templateId()), "a stock change leaves the product alone");
    }

    /** Pushed as the sync does, maxBatch() items at a time: 4 calls per push, 4 × ⌈120 / 50⌉ = 12 for 120 variants. */
    @Test
    void oneHundredTwentyVariantsOfThirtyTemplatesCostFourCallsPerBatch() throws IOException {
        List<CatalogItem> catalog = new ArrayList<>();
        long firstTemplate = newTemplateId();
        for (int t = 0; t < 30; t++) {
            catalog.addAll(shirt(firstTemplate + t, "Shirt " + t));
        }
        int batch = medusa.maxBatch();
        assertEquals(50, batch);
        int pushes = 0;
        for (int from = 0; from < catalog.size(); from += batch) {
            List<PushResult> results = medusa.push(catalog.subList(from, Math.min(catalog.size(), from + batch)));
            results.forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome(), r.toString()));
            pushes++;
        }
        Map<String, Long> calls = calls();

        assertEquals(3, pushes);
        assertEquals(Map.of("GET /admin/products", 3L, "POST /admin/products/batch", 3L, "GET /admin/inventory-items", 3L,
                "POST /admin/inventory-items/location-levels/batch", 3L), calls);
        assertEquals(30, stats().path("products").asInt());
        assertEquals(120, stats().path("variants").asInt());
        assertEquals(120, stats().path("inventoryItems").asInt());
        // template 12's variants straddle the first two pushes: the second adds to the product, losing nothing
        for (int t = 0; t < 30; t++) {
            assertEquals(4, onlyProduct(firstTemplate + t).path("variants").size(), "template " + t);
        }
        for (CatalogItem item : catalog) {
            assertEquals(item.quantity(), stocked(item.sku()));
        }

        long reads = stats().path("reads").asLong();
        long writes = stats().path("writes").asLong();
        for (int from = 0; from < catalog.size(); from += batch) {
            medusa.push(catalog.subList(from, Math.min(catalog.size(), from + batch)));
        }
        assertEquals(reads + 2L * pushes, stats().path("reads").asLong(), "an unchanged catalog costs two reads per batch");
        assertEquals(writes, stats().path("writes").asLong());
    }

    @Test
    void theDryRunSaysSkipUpdateOrCreateAndWritesNothing() {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Flannel shirt");
        medusa.push(shirts);
        long writes = stats().path("writes").asLong();

        List<MedusaConnector.ProductPlan> unchanged = medusa.plan(shirts);
        assertEquals(1, unchanged.size());
        assertEquals(MedusaConnector.Action.SKIP, unchanged.get(0).action(), unchanged.toString());
        assertEquals(shirts.stream().map(CatalogItem::sku).toList(), unchanged.get(0).skus());

        List<CatalogItem> changed = new ArrayList<>(shirts);
        changed.set(0, withPrice(shirts.get(0), "21.00"));
        changed.set(3, withQuantity(shirts.get(3), 1));
        List<CatalogItem> newcomer = shirt(newTemplateId(), "Denim shirt");
        List<CatalogItem> both = new ArrayList<>(changed);
        both.addAll(newcomer);
        List<MedusaConnector.ProductPlan> plan = medusa.plan(both);

        assertEquals(2, plan.size(), plan.toString());
        MedusaConnector.ProductPlan update = plan.get(0);
        assertEquals(MedusaConnector.Action.UPDATE, update.action());
        assertEquals(List.of(shirts.get(0).sku() + " price usd: 19.99 → 21.00",
                shirts.get(3).sku() + " quantity: " + shirts.get(3).quantity() + " → 1"), update.differences());
        assertEquals(MedusaConnector.Action.CREATE, plan.get(1).action());
        assertEquals("odoo-template-" + newcomer.get(0).templateId(), plan.get(1).externalId());
        assertEquals(writes, stats().path("writes").asLong(), "a dry run writes nothing");
        assertEquals(1, stats().path("products").asInt());
    }

    @Test
    void aDuplicateSkuRejectsOnlyItsProductWithMedusasMessage() throws IOException {
        List<CatalogItem> first = shirt(newTemplateId(), "Polo shirt");
        medusa.push(first);
        String taken = first.get(0).sku();
        List<CatalogItem> clash = new ArrayList<>(shirt(newTemplateId(), "Rugby shirt"));
        clash.set(2, withSku(clash.get(2), taken)); // another template claims an existing SKU
        List<CatalogItem> fine = shirt(newTemplateId(), "Henley shirt");
        List<CatalogItem> batch = new ArrayList<>(clash);
        batch.addAll(fine);
        long batches = calls().getOrDefault("POST /admin/products/batch", 0L);

        List<PushResult> results = medusa.push(batch);

        for (int i = 0; i < 4; i++) {
            assertEquals(PushResult.Outcome.REJECTED, results.get(i).outcome(), results.get(i).toString());
            assertEquals("Medusa: invalid_data: Product variant with sku: " + taken + ", already exists.", results.get(i).reason());
        }
        for (int i = 4; i < 8; i++) {
            assertEquals(PushResult.Outcome.ACCEPTED, results.get(i).outcome(), results.get(i).toString());
        }
        assertEquals(batches + 2, calls().get("POST /admin/products/batch"), "the refused product set aside, the rest sent again");
        assertEquals(4, onlyProduct(fine.get(0).templateId()).path("variants").size());
        assertEquals(0, products(clash.get(0).templateId()).size());
        assertEquals(first.get(0).productId(), variantBySku(taken).path("metadata").path("odoo_product_id").asLong(),
                "the SKU stays with its product");
    }

    @Test
    void aSkuTheStoreRefusesIsRejectedWithItsMessageAndARefusalNamingNothingFailsTheBatch() {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Camp shirt");
        String sku = shirts.get(1).sku();
        given().contentType(ContentType.JSON).body(Map.of("reject", Map.of("message", "Variant " + sku + ": price below the store minimum", "times", 1)))
                .post("/sandbox/medusa/_skus/" + sku).then().statusCode(200);

        List<PushResult> results = medusa.push(shirts);
        results.forEach(r -> assertEquals(PushResult.Outcome.REJECTED, r.outcome(), r.toString()));
        assertEquals("Medusa: invalid_data: Variant " + sku + ": price below the store minimum", results.get(1).reason());
        results = medusa.push(shirts);
        results.forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome(), r.toString()));

        fault(Map.of("path", "/admin/products/batch", "status", 400, "message", "Invalid request: Field 'create, 0, title' is required"));
        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> medusa.push(shirt(newTemplateId(), "Work shirt")));
        assertTrue(failure.getMessage().contains("Invalid request: Field 'create, 0, title' is required"), failure.getMessage());
    }

    @Test
    void anItemMedusaCannotTakeIsRejectedBeforeAnyCall() {
        CatalogItem euros = withCurrency(shirt(newTemplateId(), "Euro shirt").get(0), "EUR");

        List<PushResult> results = medusa.push(List.of(euros));

        assertEquals(PushResult.Outcome.REJECTED, results.get(0).outcome());
        assertTrue(results.get(0).reason().contains("marketbridge.medusa.currency"), results.get(0).reason());
        assertEquals(Map.of(), calls());
    }

    @Test
    void aRefusedKeyIsPermanentAndNamesTheSetting() {
        given().contentType(ContentType.JSON).body(Map.of("revoked", true)).post("/sandbox/medusa/_auth").then().statusCode(200);
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(refused.getMessage().contains("marketbridge.medusa.api-key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("unauthorized: Unauthorized"), refused.getMessage());

        given().contentType(ContentType.JSON).body(Map.of("revoked", false)).post("/sandbox/medusa/_auth").then().statusCode(200);
        fault(Map.of("status", 401, "times", 1)); // Medusa's bare {"message":"Unauthorized"}
        PermanentFailure bare = assertThrows(PermanentFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(bare.getMessage().contains("marketbridge.medusa.api-key"), bare.getMessage());
    }

    @Test
    void anUnavailableMedusaIsTransient() {
        fault(Map.of("path", "/admin/products/batch", "status", 503, "times", 1, "headers", Map.of("Retry-After", "7")));
        TransientFailure unavailable = assertThrows(TransientFailure.class, () -> medusa.push(shirt(newTemplateId(), "Any shirt")));
        assertTrue(unavailable.getMessage().contains("HTTP 503"), unavailable.getMessage());
        assertEquals(7, unavailable.retryAfter().orElseThrow().toSeconds());

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
        List<CatalogItem> cheaper = new ArrayList<>(shirts);
        cheaper.set(0, withPrice(shirts.get(0), "9.99"));

        medusa.push(cheaper).forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome()));
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

    /** The simulator's own contract: Medusa's validation, error shapes and the HTML page of an unknown route. */
    @Test
    void theSimulatedMedusaValidatesAsMedusaDoes() {
        given().get("/sandbox/medusa/admin/products").then().statusCode(401)
                .body("type", is("unauthorized")).body("message", is("Unauthorized"));
        asMedusaClient().body(Map.of("create", List.of(Map.of("status", "published")))).post("/sandbox/medusa/admin/products/batch")
                .then().statusCode(400).body("type", is("invalid_data")).body("message", containsString("'create, 0, title' is required"));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "T", "options", List.of(Map.of("title", "Size", "values", List.of("M"))),
                "variants", List.of(Map.of("title", "M", "sku", newSku(), "options", Map.of("Size", "M"),
                        "prices", List.of(Map.of("currency_code", "usd", "amount", "19.99"))))))))
                .post("/sandbox/medusa/admin/products/batch").then().statusCode(400).body("type", is("invalid_data"))
                .body("message", containsString("Expected type: 'number'"));
        asMedusaClient().body(Map.of("update", List.of(Map.of("id", "prod_missing", "title", "T"))))
                .post("/sandbox/medusa/admin/products/batch").then().statusCode(404).body("type", is("not_found"))
                .body("message", is("Product with id: prod_missing was not found"));
        String sku = newSku();
        Map<String, Object> variant = Map.of("title", "M", "sku", sku, "options", Map.of("Size", "M"),
                "prices", List.of(Map.of("currency_code", "usd", "amount", 5)));
        asMedusaClient().body(Map.of("create", List.of(
                Map.of("title", "A", "options", List.of(Map.of("title", "Size", "values", List.of("M"))), "variants", List.of(variant)),
                Map.of("title", "B", "options", List.of(Map.of("title", "Size", "values", List.of("M"))), "variants", List.of(variant)))))
                .post("/sandbox/medusa/admin/products/batch").then().statusCode(400)
                .body("message", is("Product variant with sku: " + sku + ", already exists."));
        assertEquals(0, stats().path("products").asInt(), "a refused batch applies nothing");
        asMedusaClient().get("/sandbox/medusa/admin/stock-locations/" + LOCATION).then().statusCode(200).body("stock_location.id", is(LOCATION));
        asMedusaClient().get("/sandbox/medusa/admin/no-such-route").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Cannot GET /admin/no-such-route"));
    }

    // --- Odoo's side: catalog items ----------------------------------------------------------------

    /** Four variants of one template: Color × Size, with distinct prices and quantities. */
    private static List<CatalogItem> shirt(long templateId, String name) {
        List<CatalogItem> items = new ArrayList<>();
        String[][] variants = {{"Red", "M", "19.99", "3"}, {"Red", "L", "24.50", "0"}, {"Blue", "M", "19.99", "7"}, {"Blue", "L", "1049.00", "12"}};
        for (int i = 0; i < variants.length; i++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("Color", variants[i][0]);
            attributes.put("Size", variants[i][1]);
            items.add(new CatalogItem(newSku(), templateId * 10 + i, templateId, name, name + " (" + variants[i][0] + ", " + variants[i][1] + ")",
                    "A shirt", new BigDecimal(variants[i][2]), "USD", Integer.parseInt(variants[i][3]), attributes, "40000000000" + i + i));
        }
        return items;
    }

    private static long newTemplateId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private static CatalogItem withPrice(CatalogItem i, String price) {
        return new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), new BigDecimal(price),
                i.currency(), i.quantity(), i.attributes(), i.barcode());
    }

    private static CatalogItem withQuantity(CatalogItem i, int quantity) {
        return new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                i.currency(), quantity, i.attributes(), i.barcode());
    }

    private static CatalogItem withSku(CatalogItem i, String sku) {
        return new CatalogItem(sku, i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                i.currency(), i.quantity(), i.attributes(), i.barcode());
    }

    private static CatalogItem withCurrency(CatalogItem i, String currency) {
        return new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                currency, i.quantity(), i.attributes(), i.barcode());
    }

    // --- Medusa's side, read from the simulator ------------------------------------------------------

    private static RequestSpecification asMedusaClient() {
        return given().auth().preemptive().basic(MedusaSandbox.SECRET_KEY, "").contentType(ContentType.JSON);
    }

    private static String admin(String pathAndQuery) {
        return asMedusaClient().get("/sandbox/medusa" + pathAndQuery).then().statusCode(200).extract().asString();
    }

    private static JsonNode read(String pathAndQuery) throws IOException {
        return JSON.readTree(admin(pathAndQuery));
    }

    private static List<JsonNode> products(long templateId) throws IOException {
        JsonNode answer = read("/admin/products?external_id=odoo-template-" + templateId);
        return StreamSupport.stream(answer.path("products").spliterator(), false).toList();
    }

    private static JsonNode onlyProduct(long templateId) throws IOException {
        List<JsonNode> products = products(templateId);
        assertEquals(1, products.size(), "one product for template " + templateId);
        return products.get(0);
    }

    private static JsonNode variant(JsonNode product, String sku) {
        for (JsonNode variant : product.path("variants")) {
            if (sku.equals(variant.path("sku").asText())) {
                return variant;
            }
        }
        throw new AssertionError("no variant " + sku + " in " + product);
    }

    private static JsonNode variantBySku(String sku) throws IOException {
        JsonNode variants = read("/admin/product-variants?sku=" + sku).path("variants");
        assertEquals(1, variants.size(), "one variant with SKU " + sku);
        return variants.get(0);
    }

    private static Map<String, Set<String>> options(JsonNode product) {
        Map<String, Set<String>> options = new HashMap<>();
        for (JsonNode option : product.path("options")) {
            options.put(option.path("title").asText(), StreamSupport.stream(option.path("values").spliterator(), false)
                    .map(v -> v.path("value").asText()).collect(Collectors.toSet()));
        }
        return options;
    }

    private static Map<String, String> variantOptions(JsonNode variant) {
        Map<String, String> options = new LinkedHashMap<>();
        variant.path("options").forEach(v -> options.put(v.path("option").path("title").asText(), v.path("value").asText()));
        return options;
    }

    private static int stocked(String sku) throws IOException {
        JsonNode items = read("/admin/inventory-items?sku=" + sku).path("inventory_items");
        assertEquals(1, items.size(), "one inventory item for " + sku);
        for (JsonNode level : items.get(0).path("location_levels")) {
            if (LOCATION.equals(level.path("location_id").asText())) {
                assertNotEquals(-1, level.path("available_quantity").asInt(-1));
                return level.path("stocked_quantity").asInt();
            }
        }
        throw new AssertionError("no level at " + LOCATION + " for " + sku);
    }

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
        return calls;
    }

    private static void fault(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post("/sandbox/medusa/_faults").then().statusCode(200);
    }

    private static ValidatableResponse adminConnections() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200);
    }
}

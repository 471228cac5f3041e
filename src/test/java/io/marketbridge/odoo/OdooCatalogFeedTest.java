package io.marketbridge.odoo;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.CatalogSource.Page;
import io.marketbridge.channels.CatalogSource.Variant;
import io.marketbridge.odoo.OdooCatalogFeed.Changes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.odooWrite;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odoo's sellable catalog read by the running service's {@link OdooCatalogFeed} from the simulated
 * Odoo, over JSON-RPC: products are made the way an Odoo user makes them (a template with attribute
 * lines generates its variants; stock is set by inventory adjustment at a location), and every
 * Odoo call is counted at the simulator.
 */
@QuarkusTest
class OdooCatalogFeedTest {

    private static final Logger LOG = Logger.getLogger(OdooCatalogFeedTest.class);
    private static final DateTimeFormatter ODOO_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Inject
    OdooCatalogFeed feed;

    @Test
    void aTemplateWithTwoAttributesOfTwoValuesGivesFourVariantsWithTheirAttributesPriceAndStockAtTheLocation() {
        String run = uniq();
        long color = odooCreate("product.attribute", Map.of("name", "Color " + run));
        long red = odooCreate("product.attribute.value", Map.of("name", "Red", "attribute_id", color));
        long blue = odooCreate("product.attribute.value", Map.of("name", "Blue", "attribute_id", color));
        long size = odooCreate("product.attribute", Map.of("name", "Size " + run));
        long small = odooCreate("product.attribute.value", Map.of("name", "S", "attribute_id", size));
        long medium = odooCreate("product.attribute.value", Map.of("name", "M", "attribute_id", size));
        long shirt = odooCreate("product.template", Map.of("name", "Linen shirt " + run, "list_price", 20.0,
                "description_sale", "  Breathable linen.\n", "is_published", true, "type", "product",
                "attribute_line_ids", List.of(line(color, red, blue), line(size, small, medium))));
        Map<String, Long> variantByValues = variantsByValues(shirt);
        assertEquals(Set.of("Red,S", "Red,M", "Blue,S", "Blue,M"), variantByValues.keySet());
        variantByValues.forEach((values, id) -> odooWrite("product.product", List.of(id),
                Map.of("default_code", "SHIRT-" + run + "-" + values.replace(',', '-'))));
        long blueValue = ((Number) odoo("product.template.attribute.value", List.of(List.of("product_tmpl_id", "=", shirt),
                List.of("product_attribute_value_id", "=", blue)), List.of("id")).get(0).get("id")).longValue();
        odooWrite("product.template.attribute.value", List.of(blueValue), Map.of("price_extra", 2.2));

        long stock = stockLocation();
        long shelf = ((Number) odoo("stock.location", List.of(List.of("location_id", "=", stock)), List.of("id")).get(0).get("id")).longValue();
        long elsewhere = odooCreate("stock.location", Map.of("name", "Elsewhere " + run));
        long redSmall = variantByValues.get("Red,S");
        setOnHand(redSmall, stock, 7);
        setOnHand(redSmall, shelf, 3);
        setOnHand(redSmall, elsewhere, 100);
        setOnHand(variantByValues.get("Blue,M"), elsewhere, 4);

        long plain = odooCreate("product.template", Map.of("name", "Plain mug " + run, "default_code", "MUG-" + run,
                "list_price", 5.5, "type", "product"));
        long plainVariant = variantIds(plain).get(0);
        long noSku = variantIds(odooCreate("product.template", Map.of("name", "No reference " + run, "type", "product"))).get(0);

        List<Long> asked = new ArrayList<>(variantByValues.values());
        asked.addAll(List.of(plainVariant, noSku, 999_999_999L));
        Map<Long, Variant> found = new HashMap<>();
        odooWrite("product.product", List.of(variantByValues.get("Blue,M")), Map.of("active", false));
        feed.variantsInAnyState(asked).forEach(v -> found.put(v.item().productId(), v));

        assertEquals(Set.of(redSmall, variantByValues.get("Red,M"), variantByValues.get("Blue,S"), variantByValues.get("Blue,M"),
                plainVariant, noSku), found.keySet(), "the unknown id is left out");
        assertFalse(found.get(noSku).sellable(), "no reference: no channel can carry it");
        assertFalse(found.get(variantByValues.get("Blue,M")).sellable(), "archived");
        assertTrue(found.get(plainVariant).sellable());
        odooWrite("product.product", List.of(variantByValues.get("Blue,M")), Map.of("active", true));
        Variant rs = found.get(redSmall);
        CatalogItem item = rs.item();
        assertEquals("SHIRT-" + run + "-Red-S", item.sku());
        assertEquals(shirt, item.templateId());
        assertEquals("Linen shirt " + run, item.templateName());
        assertEquals("Linen shirt " + run + " (Red, S)", item.name());
        assertEquals("Breathable linen.", item.description());
        assertEquals(new BigDecimal("20"), item.price());
        assertEquals("USD", item.currency());
        assertEquals(10, item.quantity(), "7 at the stock location and 3 on its shelf; the 100 elsewhere do not count");
        assertEquals(List.of(Map.entry("Color " + run, "Red"), Map.entry("Size " + run, "S")), List.copyOf(item.attributes().entrySet()));
        assertTrue(rs.published());

        CatalogItem bm = found.get(variantByValues.get("Blue,M")).item();
        assertEquals(new BigDecimal("22.2"), bm.price(), "the template price plus the value's extra");
        assertEquals(0, bm.quantity(), "stock only elsewhere");
        assertEquals(List.of("Color " + run, "Size " + run), List.copyOf(bm.attributes().keySet()));
        assertEquals(Map.of("Color " + run, "Blue", "Size " + run, "M"), bm.attributes());

        Variant mug = found.get(plainVariant);
        assertEquals(Map.of(), mug.item().attributes());
        assertEquals("Plain mug " + run, mug.item().name());
        assertEquals(new BigDecimal("5.5"), mug.item().price());
        assertFalse(mug.published(), "not published on the website");
        assertNull(mug.item().description());
    }

    @Test
    void fourHundredFiftyVariantsComeInThreeAscendingPagesOfBoundedOdooCalls() {
        JsonPath seeded = seed(Map.of("templates", 225, "variantsPerTemplate", 2, "skuPrefix", "PAGE-" + uniq(), "price", 12.5,
                "quantity", 6));
        long first = seeded.getLong("firstProductId");
        long last = seeded.getLong("lastProductId");
        feed.page(first - 1, 1); // the once-only look-ups (published field, currency, stock location) out of the way

        List<Long> ids = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        long after = first - 1;
        while (after < last) {
            Map<String, Long> before = calls();
            Page page = feed.page(after, 200);
            Map<String, Long> spent = spent(before);
            assertEquals(Map.of("product.product.search_read", 1L, "product.template.read", 1L,
                    "product.template.attribute.value.read", 1L, "stock.quant.search_read", 1L), spent,
                    "four Odoo calls per page whatever its size");
            List<Long> inRange = page.variants().stream().map(v -> v.item().productId()).filter(id -> id <= last).toList();
            pageSizes.add(inRange.size());
            ids.addAll(inRange);
            page.variants().forEach(v -> {
                if (v.item().productId() <= last) {
                    assertEquals(6, v.item().quantity());
                    assertEquals(new BigDecimal("12.5"), v.item().price());
                    assertEquals(1, v.item().attributes().size());
                    assertTrue(v.published());
                }
            });
            after = page.lastId();
        }
        assertEquals(List.of(200, 200, 50), pageSizes);
        assertEquals(450, ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1) < ids.get(i), "ascending ids");
        }
        Page end = feed.page(Long.MAX_VALUE - 1, 200);
        assertTrue(end.last());
        assertTrue(end.variants().isEmpty());
        assertEquals(Long.MAX_VALUE - 1, end.lastId());
    }

    @Test
    void changedSincePicksUpVariantTemplateAndStockWritesAtTheLocationOnly() {
        String run = uniq();
        long size = odooCreate("product.attribute", Map.of("name", "Width " + run));
        long narrow = odooCreate("product.attribute.value", Map.of("name", "Narrow", "attribute_id", size));
        long wide = odooCreate("product.attribute.value", Map.of("name", "Wide", "attribute_id", size));
        long shoe = odooCreate("product.template", Map.of("name", "Shoe " + run, "list_price", 60, "is_published", true,
                "type", "product", "attribute_line_ids", List.of(line(size, narrow, wide))));
        List<Long> shoes = variantIds(shoe);
        for (long id : shoes) {
            odooWrite("product.product", List.of(id), Map.of("default_code", "SHOE-" + run + "-" + id));
        }
        long cap = variantIds(odooCreate("product.template", Map.of("name", "Cap " + run, "default_code", "CAP-" + run,
                "list_price", 15, "type", "product"))).get(0);
        long stock = stockLocation();
        long shelf = ((Number) odoo("stock.location", List.of(List.of("location_id", "=", stock)), List.of("id")).get(0).get("id")).longValue();
        long elsewhere = odooCreate("stock.location", Map.of("name", "Elsewhere " + run));
        setOnHand(cap, stock, 2);

        Changes everything = feed.changedSince(null);
        assertTrue(everything.productIds().containsAll(shoes) && everything.productIds().contains(cap));

        String since = nextSecond(everything.newest());
        odooWrite("product.product", List.of(cap), Map.of("list_price", 16.5));
        Changes priced = feed.changedSince(since);
        assertEquals(Set.of(cap), priced.productIds(), "a price write on a variant");
        assertTrue(priced.newest().compareTo(since) >= 0);
        assertEquals(new BigDecimal("16.5"), feed.variantsInAnyState(List.of(cap)).get(0).item().price());

        since = nextSecond(priced.newest());
        odooWrite("product.template", List.of(shoe), Map.of("name", "Running shoe " + run));
        assertEquals(Set.copyOf(shoes), feed.changedSince(since).productIds(), "a name write on a template: all its variants");
        assertEquals("Running shoe " + run + " (Wide)", feed.variantsInAnyState(shoes).get(1).item().name());

        since = nextSecond(feed.changedSince(since).newest());
        setOnHand(cap, elsewhere, 40);
        Changes none = feed.changedSince(since);
        assertEquals(Set.of(), none.productIds(), "stock elsewhere is not the channels' stock");
        assertEquals(since, none.newest(), "nothing newer seen");
        setOnHand(cap, shelf, 5);
        assertEquals(Set.of(cap), feed.changedSince(since).productIds(), "stock at a child of the location");
        assertEquals(7, feed.variantsInAnyState(List.of(cap)).get(0).item().quantity());

        odooWrite("product.product", List.of(shoes.get(0)), Map.of("active", false));
        assertTrue(feed.changedSince(since).productIds().contains(shoes.get(0)), "an archived variant is a change channels must hear of");
        assertEquals(List.of(false, true), feed.variantsInAnyState(shoes).stream().map(Variant::sellable).toList(),
                "an archived variant is read, as not sellable");
    }

    @Test
    void aHundredThousandSeededVariantsAreWalkedInPagesOfBoundedOdooCalls() {
        String prefix = "BULK-" + uniq();
        long started = System.nanoTime();
        JsonPath seeded = seed(Map.of("templates", 50_000, "variantsPerTemplate", 2, "skuPrefix", prefix, "price", 9.99,
                "quantity", 3));
        long seedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(100_000, seeded.getLong("variants"));
        long first = seeded.getLong("firstProductId");
        long last = seeded.getLong("lastProductId");

        feed.page(first - 1, 1);
        Map<String, Long> before = calls();
        started = System.nanoTime();
        long after = first - 1;
        int pages = 0;
        long variants = 0;
        while (after < last) {
            Page page = feed.page(after, 500);
            pages++;
            variants += page.variants().stream().filter(v -> v.item().productId() <= last && v.item().sku().startsWith(prefix)).count();
            after = page.lastId();
        }
        long walkMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Long> spent = spent(before);
        assertEquals(100_000, variants);
        assertEquals(200, pages);
        long perPage = pages;
        assertEquals(Map.of("product.product.search_read", perPage, "product.template.read", perPage,
                "product.template.attribute.value.read", perPage, "stock.quant.search_read", perPage), spent);
        Runtime runtime = Runtime.getRuntime();
        LOG.infof("100,000 variants seeded in %d ms (simulator %d ms), walked in %d pages of 500 in %d ms (%d Odoo calls);"
                + " heap used %d MB (service and simulated Odoo together)", seedMillis, seeded.getLong("millis"), pages, walkMillis,
                spent.values().stream().mapToLong(Long::longValue).sum(), (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        assertTrue(seedMillis < 60_000, "seeding took " + seedMillis + " ms");
    }

    @Test
    void theSeedingControlRefusesBadRequestsWithAReason() {
        given().contentType(ContentType.JSON).body(Map.of("templates", 0, "skuPrefix", "X")).post("/sandbox/odoo/_catalog")
                .then().statusCode(400).body("error", containsString("templates"));
        given().contentType(ContentType.JSON).body(Map.of("templates", 3, "skuPrefix", "bad prefix!")).post("/sandbox/odoo/_catalog")
                .then().statusCode(400).body("error", containsString("skuPrefix"));
        given().contentType(ContentType.JSON).body("[1,2]").post("/sandbox/odoo/_catalog")
                .then().statusCode(400).body("error", containsString("JSON object"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static String uniq() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static List<Object> line(long attribute, long... values) {
        List<Long> ids = new ArrayList<>();
        for (long v : values) {
            ids.add(v);
        }
        return List.of(0, 0, Map.of("attribute_id", attribute, "value_ids", List.of(List.of(6, 0, ids))));
    }

    private static List<Long> variantIds(long template) {
        return odoo("product.product", List.of(List.of("product_tmpl_id", "=", template)), List.of("id")).stream()
                .map(row -> ((Number) row.get("id")).longValue()).sorted().toList();
    }

    /** "Red,S" → variant id, from the variants' template attribute values. */
    private static Map<String, Long> variantsByValues(long template) {
        Map<Long, String> valueNames = new HashMap<>();
        odoo("product.template.attribute.value", List.of(List.of("product_tmpl_id", "=", template)), List.of("name"))
                .forEach(row -> valueNames.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
        Map<String, Long> byValues = new LinkedHashMap<>();
        for (Map<String, Object> variant : odoo("product.product", List.of(List.of("product_tmpl_id", "=", template)),
                List.of("product_template_attribute_value_ids"))) {
            List<String> names = new ArrayList<>();
            ((List<?>) variant.get("product_template_attribute_value_ids")).forEach(v -> names.add(valueNames.get(((Number) v).longValue())));
            byValues.put(String.join(",", names), ((Number) variant.get("id")).longValue());
        }
        return byValues;
    }

    private static long stockLocation() {
        List<?> lot = (List<?>) odoo("stock.warehouse", List.of(), List.of("lot_stock_id")).get(0).get("lot_stock_id");
        return ((Number) lot.get(0)).longValue();
    }

    /** Odoo's "Update quantity": an inventory-mode quant at the location, then applied. */
    private static void setOnHand(long product, long location, double quantity) {
        Object quant = rpc("stock.quant", "create", List.of(Map.of("product_id", product, "location_id", location,
                "inventory_quantity", quantity)), Map.of("context", Map.of("inventory_mode", true))).get("result");
        rpc("stock.quant", "action_apply_inventory", List.of(List.of(quant)), Map.of());
    }

    private static JsonPath rpc(String model, String method, List<Object> args, Map<String, Object> kwargs) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model, method, args, kwargs)));
        JsonPath answer = given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc")
                .then().statusCode(200).extract().jsonPath();
        assertNull(answer.get("error"), () -> model + "." + method + ": " + answer.prettify());
        return answer;
    }

    private static JsonPath seed(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request).post("/sandbox/odoo/_catalog")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Long> calls() {
        Map<String, Long> calls = new HashMap<>();
        given().get("/sandbox/odoo/_stats").then().statusCode(200).extract().jsonPath().<String, Object>getMap("calls")
                .forEach((k, v) -> calls.put(k, ((Number) v).longValue()));
        return calls;
    }

    private static Map<String, Long> spent(Map<String, Long> before) {
        Map<String, Long> spent = new HashMap<>();
        calls().forEach((k, v) -> {
            long delta = v - before.getOrDefault(k, 0L);
            if (delta != 0) {
                spent.put(k, delta);
            }
        });
        return spent;
    }

    /** The first Odoo second after {@code newest}: whatever is written from now on has a write_date at or after it. */
    private static String nextSecond(String newest) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> nowUtc().compareTo(newest) > 0);
        return nowUtc();
    }

    private static String nowUtc() {
        return LocalDateTime.now(ZoneOffset.UTC).format(ODOO_DATETIME);
    }
}

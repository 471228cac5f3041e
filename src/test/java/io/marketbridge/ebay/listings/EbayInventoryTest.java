package io.marketbridge.ebay.listings;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.testsupport.Sandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.clearEbayFaults;
import static io.marketbridge.testsupport.Sandbox.ebayFault;
import static io.marketbridge.testsupport.Sandbox.ebayUserToken;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.marketbridge.testsupport.Sandbox.seedEbayInventory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eBay inventory as a safety net and a backfill: listings missing in Odoo are imported through
 * the inbox with one getInventoryItems call and one Odoo lookup per page of 200, quantity
 * differences are counted and listed, and the backfill resumes from its last completed page.
 * Also the simulated Inventory API's bulk contract, which the price/stock push relies on.
 */
@QuarkusTest
@TestProfile(EbayInventoryTest.ConnectedSeller.class)
public class EbayInventoryTest implements EbayContractChecked {

    /** A connected seller; the test runs each inventory poll itself. */
    public static class ConnectedSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.inventory.poll-period", "1h");
        }
    }

    @Inject
    EbayInventoryPoller poller;
    @Inject
    CamelContext camel;

    @BeforeEach
    void emptyCatalogOnEbay() {
        clearEbayFaults();
        given().delete("/sandbox/ebay/_inventory").then().statusCode(200);
    }

    private static JsonPath inventoryStats() {
        return given().get("/sandbox/ebay/_inventory/stats").then().statusCode(200).extract().jsonPath();
    }

    private static long inventoryCalls(String endpoint) {
        Number calls = inventoryStats().get("calls.'" + endpoint + "'");
        return calls == null ? 0 : calls.longValue();
    }

    private static long odooCalls(String modelMethod) {
        Map<String, Integer> calls = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().getMap("calls");
        return calls.getOrDefault(modelMethod, 0);
    }

    private static long odooCalls() {
        Map<String, Integer> calls = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().getMap("calls");
        return calls.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static int productsInOdoo(List<String> skus) {
        return odoo("product.product", List.of(List.of("default_code", "in", skus)), List.of("id")).size();
    }

    private static void productInOdoo(String sku) {
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
    }

    // --- the inventory poll ----------------------------------------------------------------------

    @Test
    void aVariationListingWhoseNotificationWasMissedIsImportedWholeByThePoll() throws Exception {
        String sku = newSku();
        // the seller lists a shirt in two sizes; its notification never arrives
        String itemId = Sandbox.list(Map.of("title", "Linen shirt " + sku, "price", "30.00", "categoryId", "11450",
                "categoryName", "Clothing, Shoes & Accessories", "variations", List.of(
                        ListingFlowContract.variation(sku + "-1", "30.00", 3, 0, "Size", "S"),
                        ListingFlowContract.variation(sku + "-2", "32.00", 2, 0, "Size", "M")))).getString("itemId");
        // the Inventory API shows its variations as a group of items sharing the listing id, without their sizes
        seedEbayInventory(Map.of("count", 2, "skuPrefix", sku, "groupId", "G-" + itemId, "listingId", itemId, "title", "Linen shirt " + sku));

        poller.poll();

        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku + "-1").size() == 1 && productsBySku(sku + "-2").size() == 1
                && ((Number) productsBySku(sku + "-2").get(0).get("qty_available")).doubleValue() == 2.0);
        Map<String, Object> small = productsBySku(sku + "-1").get(0);
        Map<String, Object> medium = productsBySku(sku + "-2").get(0);
        assertEquals(small.get("product_tmpl_id"), medium.get("product_tmpl_id"), "one template, as the notification would have made");
        assertEquals(32.0, ((Number) medium.get("lst_price")).doubleValue(), 0.001, "prices from GetItem");
        assertEquals(3.0, ((Number) small.get("qty_available")).doubleValue(), 0.001, "quantities from GetItem");
        assertTrue(admin("/dead-letters").getList("$", Map.class).stream().noneMatch(l -> String.valueOf(l.get("eventKey")).contains(itemId)));
    }

    @Test
    void listingsMissingInOdooAreImportedWithOneInventoryCallAndOneOdooLookupPerPage() throws Exception {
        String prefix = newSku();
        List<String> skus = seedEbayInventory(Map.of("count", 450, "skuPrefix", prefix, "quantity", 4, "price", "12.50",
                "title", "Vintage lens", "description", "<p>Sharp &amp; clean</p>"));
        List<String> unpublished = seedEbayInventory(Map.of("count", 2, "skuPrefix", newSku(), "published", false));
        long pages = (long) Math.ceil(452 / 200.0);

        // the dispatcher waits, so every Odoo call counted below is the poll's own
        camel.getRouteController().stopRoute("inbox-dispatcher");
        long inventoryBefore = inventoryCalls("inventory_item");
        long lookupsBefore = odooCalls("product.product.search_read");
        long odooBefore = odooCalls();
        try {
            poller.poll();
            assertEquals(pages, inventoryCalls("inventory_item") - inventoryBefore, "one getInventoryItems call per page of 200");
            // the active listings (GetMyeBaySelling, the safety net for listings without an offer) are paged too
            long activePages = admin("/status").getLong("ebayInventory.lastPoll.activePages");
            assertEquals(pages + activePages, odooCalls("product.product.search_read") - lookupsBefore, "one SKU lookup per page");
            assertEquals(pages + activePages, odooCalls() - odooBefore, "and no other Odoo call: quantities come with the lookup");
            assertEquals(452, inventoryCalls("offer"), "an offer read for each SKU missing in Odoo");
        } finally {
            camel.getRouteController().startRoute("inbox-dispatcher");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> productsInOdoo(skus) == 450);
        assertEquals(0, productsInOdoo(unpublished), "items without a published offer are not listings");
        Map<String, Object> product = productsBySku(skus.get(0)).get(0);
        assertEquals("Vintage lens", product.get("name"));
        assertEquals(12.5, ((Number) product.get("list_price")).doubleValue(), 0.001);
        assertEquals("Sharp & clean", product.get("description_sale"));
        assertEquals(4.0, ((Number) product.get("qty_available")).doubleValue(), 0.001, "on-hand seeded from eBay on first import");
        String listingId = given().get("/sandbox/ebay/_inventory/items/" + skus.get(0)).then().extract().path("listingId");
        assertEquals(1, odoo("ir.model.data", List.of(List.of("name", "=", "ebay_item_" + listingId)), List.of("res_id")).size(),
                "linked to its eBay listing id");
        JsonPath status = admin("/status");
        assertEquals(450, status.getInt("ebayInventory.lastPoll.queued"));
        assertEquals(2, status.getInt("ebayInventory.lastPoll.unlisted"));

        long offersBefore = inventoryCalls("offer");
        poller.poll(); // everything is in Odoo now: nothing to queue, no offer to read
        assertEquals(offersBefore + 2, inventoryCalls("offer"), "only the two unlisted items are looked at again");
        assertEquals(0, admin("/status").getInt("ebayInventory.lastPoll.missing"));
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxCount("ebay.InventoryListing", "DONE") >= 450);
        assertEquals(0, inboxCount("ebay.InventoryListing", "DEAD"));
    }

    @Test
    void quantityDifferencesShowInTheMetricAndTheStatus() throws Exception {
        List<String> same = seedEbayInventory(Map.of("count", 3, "skuPrefix", newSku(), "quantity", 0));
        String differing = seedEbayInventory(Map.of("count", 1, "skuPrefix", newSku(), "quantity", 7)).get(0);
        same.forEach(EbayInventoryTest::productInOdoo);
        productInOdoo(differing); // on hand in Odoo: 0

        poller.poll();

        assertTrue(metric("marketbridge_ebay_inventory_quantity_differences", "1.0"));
        JsonPath status = admin("/status");
        assertEquals(1, status.getInt("ebayInventory.quantityDifferences.count"));
        assertEquals(differing, status.getString("ebayInventory.quantityDifferences.listed[0].sku"));
        assertEquals(7, status.getInt("ebayInventory.quantityDifferences.listed[0].ebay"));
        assertEquals(0.0, status.getDouble("ebayInventory.quantityDifferences.listed[0].odoo"), 0.001);
        assertEquals(0, status.getInt("ebayInventory.lastPoll.queued"), "all four are in Odoo");

        // the seller sets the quantity on eBay to what Odoo has: the difference is gone
        given().contentType(ContentType.JSON).body(Map.of("quantity", 0)).post("/sandbox/ebay/_inventory/items/" + differing)
                .then().statusCode(200);
        poller.poll();
        assertTrue(metric("marketbridge_ebay_inventory_quantity_differences", "0.0"));
        assertEquals(0, admin("/status").getList("ebayInventory.quantityDifferences.listed").size());
    }

    private static boolean metric(String name, String value) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? " + Pattern.quote(value) + "$").matcher(metrics).find();
    }

    // --- the backfill --------------------------------------------------------------------------

    @Test
    void theBackfillImportsEverythingAndResumesFromTheLastCompletedPage() throws Exception {
        List<String> skus = seedEbayInventory(Map.of("count", 450, "skuPrefix", newSku(), "quantity", 2));
        adminPost("/sync/ebay-listings?restart=maybe").then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("restart"));

        // the second page fails: the run stops there, its first page done and stored
        ebayFault(Map.of("path", "/sell/inventory/v1/inventory_item", "method", "GET", "skip", 1, "status", 503));
        adminPost("/sync/ebay-listings?restart=true").then().statusCode(202)
                .body("run.state", org.hamcrest.Matchers.equalTo("RUNNING")).body("run.nextPage", org.hamcrest.Matchers.nullValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(backfill().getString("run.state")));
        JsonPath stopped = backfill();
        // eBay's offset is a page number: the stored resume point is the next link eBay gave, page 1 of 200 items
        assertTrue(stopped.getString("run.nextPage").matches("/sell/inventory/v1/inventory_item\\?limit=200&offset=1"),
                stopped.getString("run.nextPage"));
        assertEquals(1, stopped.getInt("run.pages"));
        assertEquals(450, stopped.getInt("run.total"));
        assertEquals(1, stopped.getInt("run.interruptions"));
        assertTrue(stopped.getString("run.lastError").contains("HTTP 503"), stopped.getString("run.lastError"));
        assertEquals(1, inventoryCalls("inventory_item"));

        // eBay is back but slow: the next start resumes at the stored page, and a second start meanwhile is refused
        clearEbayFaults();
        ebayFault(Map.of("path", "/sell/inventory/v1/inventory_item", "method", "GET", "delayMillis", 1500, "times", 1));
        adminPost("/sync/ebay-listings").then().statusCode(202).body("run.nextPage", org.hamcrest.Matchers.endsWith("offset=1"))
                .body("active", org.hamcrest.Matchers.equalTo(true));
        adminPost("/sync/ebay-listings").then().statusCode(409).body("error", org.hamcrest.Matchers.containsString("already running"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(backfill().getString("run.state")));

        JsonPath done = backfill();
        assertEquals(3, inventoryCalls("inventory_item"), "pages 2 and 3 read once more, page 1 not again");
        assertEquals(3, done.getInt("run.pages"));
        assertEquals(450, done.getInt("run.itemsRead"));
        assertEquals(450, done.getInt("run.queued"));
        assertTrue(done.getString("run.lastError").contains("HTTP 503"), "the last error stays visible");
        await().atMost(Duration.ofSeconds(90)).until(() -> productsInOdoo(skus) == 450);
        await().atMost(Duration.ofSeconds(10)).until(() -> backfill().getLong("imported") == 450);
        assertEquals(0, backfill().getLong("failed"));

        // a completed backfill started again reads from the beginning and finds nothing missing
        adminPost("/sync/ebay-listings").then().statusCode(202).body("run.nextPage", org.hamcrest.Matchers.nullValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(backfill().getString("run.state")));
        assertEquals(6, inventoryCalls("inventory_item"));
        assertEquals(0, backfill().getInt("run.queued"));
        assertEquals(450, backfill().getInt("run.alreadyInOdoo"));
    }

    private static JsonPath backfill() {
        return new JsonPath(admin("/status").prettify()).setRootPath("ebayListingsBackfill");
    }

    // --- the simulated Inventory API's bulk calls ---------------------------------------------------

    private static io.restassured.response.Response bulkUpdate(String token, List<Map<String, Object>> requests) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("requests", requests))
                .post("/sandbox/ebay/sell/inventory/v1/bulk_update_price_quantity");
    }

    private static Map<String, Object> priceAndQuantity(String sku, String offerId, int quantity, String price) {
        return Map.of("sku", sku, "shipToLocationAvailability", Map.of("quantity", quantity),
                "offers", List.of(Map.of("offerId", offerId, "availableQuantity", quantity, "price", Map.of("value", price, "currency", "USD"))));
    }

    private static JsonPath item(String sku) {
        return given().get("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200).extract().jsonPath();
    }

    private static void change(String sku, Map<String, Object> change) {
        given().contentType(ContentType.JSON).body(change).post("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200);
    }

    @Test
    void bulkUpdatePriceQuantityAnswersPerEntryAsEbayDoes() {
        String token = ebayUserToken();
        List<String> skus = seedEbayInventory(Map.of("count", 5, "skuPrefix", newSku(), "quantity", 5, "price", "10.00"));
        List<String> offers = skus.stream().map(sku -> item(sku).getString("offerId")).toList();

        bulkUpdate("not-a-token", List.of(priceAndQuantity(skus.get(0), offers.get(0), 1, "9.00"))).then().statusCode(401);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        IntStream.range(0, 26).forEach(i -> tooMany.add(priceAndQuantity(skus.get(0), offers.get(0), i, "9.00")));
        bulkUpdate(token, tooMany).then().statusCode(400).body("errors[0].errorId", org.hamcrest.Matchers.equalTo(25709));
        assertEquals(0, item(skus.get(0)).getInt("revisions"), "a refused call changes nothing");

        bulkUpdate(token, List.of(priceAndQuantity(skus.get(0), offers.get(0), 3, "11.00"))).then().statusCode(200)
                .body("responses[0].statusCode", org.hamcrest.Matchers.equalTo(200))
                .body("responses[0].offerId", org.hamcrest.Matchers.equalTo(offers.get(0)));
        assertEquals(3, item(skus.get(0)).getInt("availableQuantity"));
        assertEquals("11.00", item(skus.get(0)).getString("price"));

        change(skus.get(1), Map.of("reject", Map.of("errorId", 25002, "message", "Listing is locked")));
        change(skus.get(2), Map.of("reject", Map.of("errorId", 25001, "times", 1)));
        change(skus.get(3), Map.of("silentDrop", true));
        JsonPath answer = bulkUpdate(token, List.of(
                priceAndQuantity(skus.get(0), offers.get(0), 2, "12.00"),
                priceAndQuantity(skus.get(1), offers.get(1), 2, "12.00"),
                priceAndQuantity(skus.get(2), offers.get(2), 2, "12.00"),
                priceAndQuantity(skus.get(3), offers.get(3), 2, "12.00"),
                priceAndQuantity(skus.get(4), offers.get(0), 2, "12.00"),
                Map.of("sku", skus.get(4), "shipToLocationAvailability", Map.of("quantity", -1))))
                .then().statusCode(207).extract().jsonPath();
        assertEquals(List.of(200, 400, 500, 200, 404, 400), answer.getList("responses.statusCode", Integer.class));
        assertEquals(25002, answer.getInt("responses[1].errors[0].errorId"));
        assertEquals("Listing is locked", answer.getString("responses[1].errors[0].message"));
        assertEquals(25001, answer.getInt("responses[2].errors[0].errorId"));
        assertEquals(25713, answer.getInt("responses[4].errors[0].errorId"), "another SKU's offer");
        assertEquals(25709, answer.getInt("responses[5].errors[0].errorId"), "a negative quantity");
        assertTrue(answer.getList("responses[0].errors").isEmpty());
        assertEquals(2, item(skus.get(0)).getInt("quantity"));
        assertEquals(5, item(skus.get(1)).getInt("quantity"), "rejected: not applied");
        assertEquals(5, item(skus.get(3)).getInt("quantity"), "silently dropped: answered 200, not applied");
        assertEquals(Map.of("applied", 2, "rejected", 4, "dropped", 1), inventoryStats().getMap("bulkUpdate"));

        // the transient rejection was armed once: a retry goes through
        bulkUpdate(token, List.of(priceAndQuantity(skus.get(2), offers.get(2), 2, "12.00"))).then().statusCode(200);
        assertEquals(2, item(skus.get(2)).getInt("quantity"));
        assertNull(item(skus.get(2)).get("reject"));
        assertEquals(4, inventoryCalls("bulk_update_price_quantity"), "the 401 is not counted: it never reached the API");
    }

    @Test
    void inventoryReadsPageAndLookUpAsEbayDoes() {
        String token = ebayUserToken();
        List<String> skus = seedEbayInventory(Map.of("count", 30, "skuPrefix", newSku(), "quantity", 6, "price", "4.25",
                "categoryId", "15032", "ean", "4006381333931"));

        JsonPath first = given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/inventory_item")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(30, first.getInt("total"));
        // eBay's contract: offset is a page number, size the number of pages, next links the following page
        assertEquals(25, first.getList("inventoryItems").size(), "25 by default");
        assertEquals(2, first.getInt("size"), "two pages of 25");
        assertTrue(first.getString("next").endsWith("/sandbox/ebay/sell/inventory/v1/inventory_item?limit=25&offset=1"));
        assertEquals(skus.get(0), first.getString("inventoryItems[0].sku"));
        assertEquals(6, first.getInt("inventoryItems[0].availability.shipToLocationAvailability.quantity"));
        JsonPath last = given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/inventory_item?limit=25&offset=1")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(5, last.getList("inventoryItems").size());
        assertEquals(skus.get(25), last.getString("inventoryItems[0].sku"));
        assertTrue(last.getString("prev").endsWith("inventory_item?limit=25&offset=0"));
        assertNull(last.get("next"));
        given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/inventory_item?limit=201").then().statusCode(400);

        JsonPath offers = given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/offer?sku=" + skus.get(1))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("PUBLISHED", offers.getString("offers[0].status"));
        assertEquals("EBAY_US", offers.getString("offers[0].marketplaceId"));
        assertEquals("FIXED_PRICE", offers.getString("offers[0].format"));
        assertEquals("4.25", offers.getString("offers[0].pricingSummary.price.value"));
        assertEquals("15032", offers.getString("offers[0].categoryId"));
        assertEquals("ACTIVE", offers.getString("offers[0].listing.listingStatus"));
        given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/offer/" + offers.getString("offers[0].offerId"))
                .then().statusCode(200).body("sku", org.hamcrest.Matchers.equalTo(skus.get(1)));
        given().auth().oauth2(token).get("/sandbox/ebay/sell/inventory/v1/offer?sku=NOPE-" + newSku()).then().statusCode(404)
                .body("errors[0].errorId", org.hamcrest.Matchers.equalTo(25713));

        change(skus.get(1), Map.of("sold", 2));
        JsonPath bulk = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("requests", List.of(Map.of("sku", skus.get(1)), Map.of("sku", "NOPE-" + newSku()))))
                .post("/sandbox/ebay/sell/inventory/v1/bulk_get_inventory_item").then().statusCode(207).extract().jsonPath();
        assertEquals(List.of(200, 404), bulk.getList("responses.statusCode", Integer.class));
        assertEquals(4, bulk.getInt("responses[0].inventoryItem.availability.shipToLocationAvailability.quantity"), "6 less 2 sold");
        assertEquals("4006381333931", bulk.getString("responses[0].inventoryItem.product.ean[0]"));
    }
}

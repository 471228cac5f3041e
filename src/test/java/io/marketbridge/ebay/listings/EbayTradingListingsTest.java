package io.marketbridge.ebay.listings;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.marketbridge.channels.PushResult.Outcome;
import io.marketbridge.ebay.channel.EbayChannelConnector;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.marketbridge.testsupport.Sandbox.seedEbayInventory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eBay listings without an Inventory API offer (Seller Hub, Trading API): Odoo's price and stock reach them with
 * Trading ReviseInventoryStatus (four a call, one outcome per item), the active-list read (GetMyeBaySelling)
 * imports those whose notification was missed, and the demo's flows (listings imported from eBay, then changed in
 * Odoo) end in the simulated eBay with no dead letter.
 */
@QuarkusTest
@TestProfile(EbayTradingListingsTest.DemoLike.class)
class EbayTradingListingsTest {

    /**
     * A connected seller and Odoo's changes polled every two seconds, as the demo does (every minute there); its own
     * database, so the dead letters counted are this class's only.
     */
    public static class DemoLike implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.h2.jdbc.url", "jdbc:h2:mem:ebay-trading;DB_CLOSE_DELAY=-1",
                    "marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.inventory.poll-period", "1h",
                    "marketbridge.channels.poll-period", "2s",
                    "marketbridge.channels.poll-delay", "500ms");
        }
    }

    @Inject
    EbayChannelConnector connector;
    @Inject
    EbayTradingListings tradingListings;
    @Inject
    EbayInventoryPoller poller;

    /** Lists on the simulated eBay and delivers the signed ItemListed to the webhook, as the demo's seller does. */
    private static String listAndDeliver(Map<String, Object> listing) {
        JsonPath answer = given().contentType(ContentType.JSON).body(listing).post("/sandbox/ebay/listings").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(200, answer.getInt("deliveredStatus"));
        return answer.getString("itemId");
    }

    private static JsonPath onEbay(String itemId) {
        return given().get("/sandbox/ebay/listings/" + itemId).then().statusCode(200).extract().jsonPath();
    }

    private static long trading(String counter) {
        Number count = given().get("/sandbox/ebay/_trading/stats").then().statusCode(200).extract().jsonPath().get("'" + counter + "'");
        return count == null ? 0 : count.longValue();
    }

    private static List<Map<String, Object>> deadLetters() {
        return admin("/dead-letters").getList("$");
    }

    private static long templateOf(String sku) {
        return ((Number) ((List<?>) productsBySku(sku).get(0).get("product_tmpl_id")).get(0)).longValue();
    }

    private static long productOf(String sku) {
        return ((Number) productsBySku(sku).get(0).get("id")).longValue();
    }

    private static JsonPath rpc(String model, String method, List<Object> args, Map<String, Object> kwargs) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model, method, args, kwargs)));
        JsonPath answer = given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc").then().statusCode(200).extract().jsonPath();
        assertNull(answer.get("error"), () -> model + "." + method + ": " + answer.prettify());
        return answer;
    }

    /** A person changes the template's sales price in Odoo. */
    private static void odooPrice(long templateId, String price) {
        rpc("product.template", "write", List.of(List.of(templateId), Map.of("list_price", Double.parseDouble(price))), Map.of());
    }

    /** Odoo's "Update quantity": an inventory-mode quant at the stock location, applied. */
    private static void odooOnHand(long productId, double quantity) {
        List<?> lot = (List<?>) odoo("stock.warehouse", List.of(), List.of("lot_stock_id")).get(0).get("lot_stock_id");
        Object quant = rpc("stock.quant", "create", List.of(Map.of("product_id", productId, "location_id", ((Number) lot.get(0)).longValue(),
                "inventory_quantity", quantity)), Map.of("context", Map.of("inventory_mode", true))).get("result");
        rpc("stock.quant", "action_apply_inventory", List.of(List.of(quant)), Map.of());
    }

    private static Map<String, Object> variation(String sku, String price, int quantity, String size) {
        return Map.of("sku", sku, "price", price, "quantity", quantity, "quantitySold", 0, "specifics", Map.of("Size", size));
    }

    @Test
    void listingsImportedFromEbayGetOdoosPriceAndStockThroughReviseInventoryStatusWithNoDeadLetter() {
        long revisedBefore = trading("ReviseInventoryStatus.revised");
        long refusedBefore = trading("ReviseInventoryStatus.refused");
        // the demo's seller: listings made on eBay (no Inventory API offer), each notified; one sells two sizes
        List<String> skus = new ArrayList<>();
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String sku = newSku();
            skus.add(sku);
            itemIds.add(listAndDeliver(Map.of("sku", sku, "title", "Demo product " + sku, "price", "20.00", "quantity", 5,
                    "description", "<p>A <b>demo</b> listing</p>")));
        }
        String shirt = newSku();
        String shirtItem = listAndDeliver(Map.of("title", "Shirt " + shirt, "price", "30.00", "categoryId", "11450",
                "categoryName", "Clothing, Shoes & Accessories", "variations", List.of(variation(shirt + "-S", "30.00", 3, "S"),
                        variation(shirt + "-M", "32.00", 2, "M"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> skus.stream().allMatch(sku -> productsBySku(sku).size() == 1)
                && productsBySku(shirt + "-M").size() == 1);

        // Odoo's people change prices and stock; the change poll carries them to eBay
        for (int i = 0; i < 3; i++) {
            odooPrice(templateOf(skus.get(i)), "25.5" + i);
        }
        odooOnHand(productOf(skus.get(3)), 2);
        odooOnHand(productOf(skus.get(4)), 0);
        odooOnHand(productOf(shirt + "-M"), 7);

        await().atMost(Duration.ofSeconds(30)).until(() -> onEbay(itemIds.get(0)).getDouble("price") == 25.50
                && onEbay(itemIds.get(2)).getDouble("price") == 25.52
                && onEbay(itemIds.get(3)).getInt("quantity") == 2 && onEbay(itemIds.get(4)).getInt("quantity") == 0
                && onEbay(shirtItem).getInt("variations.find { it.sku == '" + shirt + "-M' }.quantity") == 7);
        assertEquals(25.51, onEbay(itemIds.get(1)).getDouble("price"), 0.001);
        assertEquals(5, onEbay(itemIds.get(5)).getInt("quantity"), "unchanged in Odoo");
        assertEquals(3, onEbay(shirtItem).getInt("variations.find { it.sku == '" + shirt + "-S' }.quantity"));
        assertTrue(trading("ReviseInventoryStatus.revised") - revisedBefore >= 6, "prices and quantities went out through ReviseInventoryStatus");
        assertEquals(refusedBefore, trading("ReviseInventoryStatus.refused"), "no revision refused");
        assertTrue(connector.withKnownListing(List.of(shirt + "-S", shirt + "-M", skus.get(0))).size() == 3,
                "every SKU of the imported listings is known to be sold on eBay");

        // once the pipeline is idle, nothing eBay was sent waits in the dead letters (the simulated Cartona,
        // which refuses products it has never seen, dead-letters its own pushes: not this test's concern)
        awaitIdle();
        assertEquals(List.of(), deadLetters().stream().filter(letter -> !String.valueOf(letter.get("eventKey"))
                .startsWith("channel:cartona:")).toList());
    }

    @Test
    void reviseInventoryStatusGoesFourAtATimeAndOneUnknownItemIsRefusedAlone() throws Exception {
        List<String> skus = new ArrayList<>();
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sku = newSku();
            skus.add(sku);
            // listed on eBay without notifying us: its SKU's listing is learnt as the active-list read would
            itemIds.add(given().contentType(ContentType.JSON).body(Map.of("sku", sku, "price", "10.00", "quantity", 1))
                    .post("/sandbox/ebay/listings?deliver=false").then().statusCode(200).extract().jsonPath().getString("itemId"));
            tradingListings.remember(itemIds.get(i), "USD", Map.of(sku, false));
        }
        String ghost = newSku();
        tradingListings.remember("110999999999", "USD", Map.of(ghost, false)); // a listing eBay does not know (any more)
        List<CatalogItem> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(item(skus.get(i), "11.0" + i, 3 + i));
        }
        batch.add(2, item(ghost, "9.99", 1));
        batch.add(item(newSku(), "5.00", 1)); // neither an offer nor a listing

        List<PushResult> results = connector.push(batch);

        // other polls revise other listings meanwhile: only the calls naming this batch's items count
        Set<String> mine = new HashSet<>(itemIds);
        mine.add("110999999999");
        List<List<String>> calls = given().get("/sandbox/ebay/_trading/revisions").then().statusCode(200).extract().jsonPath().getList("$");
        List<Integer> sizes = calls.stream().filter(call -> call.stream().anyMatch(mine::contains)).map(List::size).toList();
        assertEquals(List.of(4, 2), sizes, "six revisions: four, then two (no retry needed: eBay named the item)");
        assertEquals(7, results.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(PushResult.accepted(skus.get(i)), results.get(i < 2 ? i : i + 1));
            assertEquals(Double.parseDouble("11.0" + i), onEbay(itemIds.get(i)).getDouble("price"), 0.001);
            assertEquals(3 + i, onEbay(itemIds.get(i)).getInt("quantity"));
        }
        PushResult refused = results.get(2);
        assertEquals(Outcome.REJECTED, refused.outcome());
        assertTrue(refused.reason().contains("17") && refused.reason().contains("110999999999"), refused.reason());
        assertTrue(tradingListings.known(List.of(ghost)).isEmpty(), "a listing eBay does not know is forgotten");
        assertEquals(Outcome.REJECTED, results.get(6).outcome());
        assertTrue(results.get(6).reason().contains("no published eBay offer and no active eBay listing"), results.get(6).reason());

        // the same again: eBay warns that nothing changed, which is still done
        List<PushResult> again = connector.push(List.of(item(skus.get(0), "11.00", 3)));
        assertEquals(List.of(PushResult.accepted(skus.get(0))), again);
    }

    @Test
    void listingsWithoutAnOfferWhoseNotificationWasMissedAreImportedByTheActiveListRead() throws Exception {
        String sku = newSku();
        String single = given().contentType(ContentType.JSON).body(Map.of("sku", sku, "title", "Seller Hub lamp", "price", "44.00", "quantity", 4))
                .post("/sandbox/ebay/listings?deliver=false").then().statusCode(200).extract().jsonPath().getString("itemId");
        String coat = newSku();
        given().contentType(ContentType.JSON).body(Map.of("title", "Coat " + coat, "price", "80.00", "variations",
                List.of(variation(coat + "-S", "80.00", 1, "S"), variation(coat + "-L", "84.00", 2, "L"))))
                .post("/sandbox/ebay/listings?deliver=false").then().statusCode(200);
        // and one made with the Inventory API, which the inventory read finds as before
        List<String> withOffer = seedEbayInventory(Map.of("count", 1, "skuPrefix", newSku(), "quantity", 2, "price", "15.00"));

        poller.poll();

        await().atMost(Duration.ofSeconds(20)).until(() -> productsBySku(sku).size() == 1 && productsBySku(coat + "-L").size() == 1
                && productsBySku(withOffer.get(0)).size() == 1);
        Map<String, Object> lamp = productsBySku(sku).get(0);
        assertEquals("Seller Hub lamp", lamp.get("name"));
        assertEquals(44.0, ((Number) lamp.get("list_price")).doubleValue(), 0.001);
        assertEquals(4.0, ((Number) lamp.get("qty_available")).doubleValue(), 0.001);
        assertEquals(2.0, ((Number) productsBySku(coat + "-L").get(0).get("qty_available")).doubleValue(), 0.001, "variations from GetItem");
        JsonPath status = admin("/status");
        assertTrue(status.getInt("ebayInventory.lastPoll.activePages") >= 1);
        assertTrue(status.getInt("ebayInventory.lastPoll.activeQueued") >= 2, status.prettify());
        assertEquals(single, tradingListings.known(List.of(sku)).get(sku).itemId());
        assertTrue(tradingListings.known(List.of(coat + "-S")).get(coat + "-S").variation());

        // the backfill reads the active listings after the inventory, and finds nothing missing now
        adminPost("/sync/ebay-listings?restart=true").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(backfill().getString("run.state")));
        JsonPath done = backfill();
        assertTrue(done.getInt("run.activeRead") >= 3, done.prettify());
        assertEquals(0, done.getInt("run.activeQueued"));
        assertFalse(deadLetters().stream().anyMatch(letter -> String.valueOf(letter.get("eventKey")).contains(single)));
    }

    private static JsonPath backfill() {
        return new JsonPath(admin("/status").prettify()).setRootPath("ebayListingsBackfill");
    }

    private static CatalogItem item(String sku, String price, int quantity) {
        return new CatalogItem(sku, 100, 200, "Template " + sku, "Product " + sku, null, new BigDecimal(price), "USD", quantity, Map.of(), null);
    }
}

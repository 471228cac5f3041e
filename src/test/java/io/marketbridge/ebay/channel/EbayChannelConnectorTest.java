package io.marketbridge.ebay.channel;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.marketbridge.channels.PushResult.Outcome;
import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.ebay.listings.EbayInventoryTest;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static io.marketbridge.testsupport.Sandbox.clearEbayFaults;
import static io.marketbridge.testsupport.Sandbox.ebayFault;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.seedEbayInventory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odoo's price and quantity pushed to the simulated eBay through the connector, counted at the simulator: one
 * bulk_update_price_quantity per batch of 25, offers resolved once per SKU (and kept in ebay_offer across a cleared
 * memory), every per-entry answer read (accepted, retried, refused with eBay's error id and message), SKUs without a
 * published offer refused without a call, and the whole call's failures classified.
 */
@QuarkusTest
@TestProfile(EbayInventoryTest.ConnectedSeller.class) // the same connected seller: one Quarkus start for both classes
class EbayChannelConnectorTest implements EbayContractChecked {

    @Inject
    EbayChannelConnector connector;
    @Inject
    Database db;

    @BeforeEach
    @AfterEach
    void noFaults() {
        clearEbayFaults();
    }

    private static CatalogItem item(String sku, String price, int quantity) {
        return new CatalogItem(sku, 100, 200, "Template " + sku, "Product " + sku, null, new BigDecimal(price), "USD", quantity, Map.of(), null);
    }

    private static JsonPath stats() {
        return given().get("/sandbox/ebay/_inventory/stats").then().statusCode(200).extract().jsonPath();
    }

    private static long calls(String endpoint) {
        Number calls = stats().get("calls.'" + endpoint + "'");
        return calls == null ? 0 : calls.longValue();
    }

    private static JsonPath onEbay(String sku) {
        return given().get("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200).extract().jsonPath();
    }

    private static void changeOnEbay(String sku, Map<String, Object> change) {
        given().contentType(ContentType.JSON).body(change).post("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200);
    }

    private List<PushResult> pushInBatches(List<CatalogItem> items) {
        List<PushResult> results = new ArrayList<>();
        for (int from = 0; from < items.size(); from += connector.maxBatch()) {
            results.addAll(connector.push(items.subList(from, Math.min(items.size(), from + connector.maxBatch()))));
        }
        return results;
    }

    /** The offer stored for a SKU in ebay_offer: empty when no row, a null value when "no offer" is remembered. */
    private Optional<Optional<String>> storedOffer(String sku) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT offer_id FROM ebay_offer WHERE sku = ?")) {
            ps.setString(1, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Optional.ofNullable(rs.getString(1))) : Optional.empty();
            }
        }
    }

    @Test
    void sixtyItemsGoInThreeCallsAndASecondRoundCostsNoOfferLookups() {
        List<String> skus = seedEbayInventory(Map.of("count", 60, "skuPrefix", newSku(), "quantity", 5, "price", "19.99"));
        assertTrue(connector.enabled());
        assertEquals("ebay", connector.channel());
        assertEquals(25, connector.maxBatch());
        long offersBefore = calls("offer");
        long bulkBefore = calls("bulk_update_price_quantity");

        List<CatalogItem> first = IntStream.range(0, 60).mapToObj(i -> item(skus.get(i), (20 + i) + ".5", i)).toList();
        List<PushResult> results = pushInBatches(first);

        assertEquals(3, calls("bulk_update_price_quantity") - bulkBefore, "one bulk_update_price_quantity per batch of at most 25");
        assertEquals(60, calls("offer") - offersBefore, "one getOffers per SKU never resolved");
        assertEquals(60, results.size());
        for (int i = 0; i < 60; i++) {
            assertEquals(PushResult.accepted(skus.get(i)), results.get(i));
            JsonPath held = onEbay(skus.get(i));
            assertEquals((20 + i) + ".50", held.getString("price"));
            assertEquals(i, held.getInt("quantity"));
            assertEquals(i, held.getInt("availableQuantity"));
            assertTrue(knownOffer(skus.get(i)));
        }

        List<CatalogItem> second = IntStream.range(0, 60).mapToObj(i -> item(skus.get(i), "9.95", 60 - i)).toList();
        offersBefore = calls("offer");
        bulkBefore = calls("bulk_update_price_quantity");
        assertTrue(pushInBatches(second).stream().allMatch(r -> r.outcome() == Outcome.ACCEPTED));
        assertEquals(3, calls("bulk_update_price_quantity") - bulkBefore);
        assertEquals(0, calls("offer") - offersBefore, "offers are resolved once");
        assertEquals("9.95", onEbay(skus.get(59)).getString("price"));
        assertEquals(1, onEbay(skus.get(59)).getInt("quantity"));
    }

    @Test
    void everyEntryIsReadRefusedWithEbaysErrorRetriedOnSystemErrorsAndTheOthersAccepted() {
        List<String> skus = seedEbayInventory(Map.of("count", 5, "skuPrefix", newSku(), "quantity", 5, "price", "19.99"));
        changeOnEbay(skus.get(1), Map.of("reject", Map.of("errorId", 25002, "message", "The price is below the minimum for this category.")));
        changeOnEbay(skus.get(2), Map.of("reject", Map.of("errorId", 25001, "times", 1)));
        List<CatalogItem> batch = skus.stream().map(sku -> item(sku, "31.00", 3)).toList();

        List<PushResult> results = connector.push(batch);

        assertEquals(Outcome.ACCEPTED, results.get(0).outcome());
        assertEquals(Outcome.ACCEPTED, results.get(3).outcome());
        assertEquals(Outcome.ACCEPTED, results.get(4).outcome());
        assertEquals(Outcome.REJECTED, results.get(1).outcome());
        assertEquals("eBay 25002: The price is below the minimum for this category.", results.get(1).reason());
        assertEquals(Outcome.RETRY, results.get(2).outcome());
        assertTrue(results.get(2).reason().startsWith("eBay 25001: "), results.get(2).reason());
        assertEquals("31.00", onEbay(skus.get(0)).getString("price"));
        assertEquals(3, onEbay(skus.get(4)).getInt("quantity"));
        assertEquals("19.99", onEbay(skus.get(1)).getString("price"), "a refused entry is not applied");
        assertEquals("19.99", onEbay(skus.get(2)).getString("price"));

        // the system error was once: sent again, it goes through
        assertEquals(List.of(PushResult.accepted(skus.get(2))), connector.push(List.of(batch.get(2))));
        assertEquals("31.00", onEbay(skus.get(2)).getString("price"));
    }

    @Test
    void skusWithoutAPublishedOfferAreRefusedWithoutACallForThemAndRememberedInTheTable() throws SQLException {
        List<String> listed = seedEbayInventory(Map.of("count", 2, "skuPrefix", newSku()));
        String unpublished = seedEbayInventory(Map.of("count", 1, "skuPrefix", newSku(), "published", false)).get(0);
        String unlistedPrefix = newSku();
        String unknown = unlistedPrefix + "-1"; // the SKU a later seed with this prefix lists
        List<CatalogItem> batch = List.of(item(listed.get(0), "12.00", 1), item(unknown, "12.00", 1), item(unpublished, "12.00", 1),
                item(listed.get(1), "12.00", 1));
        long bulkBefore = calls("bulk_update_price_quantity");
        long appliedBefore = stats().getLong("bulkUpdate.applied");
        long rejectedBefore = stats().getLong("bulkUpdate.rejected");

        List<PushResult> results = connector.push(batch);

        assertEquals(Outcome.ACCEPTED, results.get(0).outcome());
        assertEquals(Outcome.ACCEPTED, results.get(3).outcome());
        assertEquals(PushResult.rejected(unknown, "no published eBay offer and no active eBay listing known for SKU on EBAY_US"), results.get(1));
        assertEquals(PushResult.rejected(unpublished, "no published eBay offer and no active eBay listing known for SKU on EBAY_US"), results.get(2));
        assertEquals(1, calls("bulk_update_price_quantity") - bulkBefore);
        assertEquals(2, stats().getLong("bulkUpdate.applied") - appliedBefore, "only the two listed SKUs were sent");
        assertEquals(0, stats().getLong("bulkUpdate.rejected") - rejectedBefore);
        assertFalse(knownOffer(unknown));
        assertEquals(Optional.of(Optional.empty()), storedOffer(unknown), "\"no offer\" is remembered");

        // remembered across a cleared memory: no lookup, and a batch of only such SKUs costs no call at all
        connector.clearMemory();
        long offersBefore = calls("offer");
        bulkBefore = calls("bulk_update_price_quantity");
        assertEquals(Outcome.REJECTED, connector.push(List.of(item(unknown, "12.00", 1), item(unpublished, "12.00", 1))).get(0).outcome());
        assertEquals(0, calls("offer") - offersBefore);
        assertEquals(0, calls("bulk_update_price_quantity") - bulkBefore);

        // once the recheck period is over, eBay is asked again: the seller has listed it meanwhile
        try (Connection c = db.connection()) {
            Database.execute(c, "UPDATE ebay_offer SET resolved_at = ? WHERE sku = ?", OffsetDateTime.now(ZoneOffset.UTC).minusHours(2), unknown);
        }
        connector.clearMemory();
        assertEquals(List.of(unknown), seedEbayInventory(Map.of("count", 1, "skuPrefix", unlistedPrefix)));
        assertEquals(List.of(PushResult.accepted(unknown)), connector.push(List.of(item(unknown, "12.00", 1))));
        assertEquals(1, calls("offer") - offersBefore);
        assertTrue(knownOffer(unknown));
    }

    @Test
    void resolvedOffersAreReadFromTheTableAfterTheMemoryIsCleared() throws SQLException {
        List<String> skus = seedEbayInventory(Map.of("count", 3, "skuPrefix", newSku()));
        long offersBefore = calls("offer");
        assertFalse(knownOffer(skus.get(0)), "never resolved: not known, and asking what is known does not ask eBay");
        assertEquals(0, calls("offer") - offersBefore);

        Map<String, String> resolved = connector.resolveOffers(skus);
        assertEquals(3, calls("offer") - offersBefore);
        assertEquals(3, resolved.size());
        for (String sku : skus) {
            String offerId = onEbay(sku).getString("offerId");
            assertEquals(offerId, resolved.get(sku));
            assertEquals(Optional.of(Optional.of(offerId)), storedOffer(sku));
        }

        connector.clearMemory();
        assertTrue(connector.withKnownOffer(skus).containsAll(skus));
        assertEquals(resolved, connector.resolveOffers(skus));
        long bulkBefore = calls("bulk_update_price_quantity");
        assertTrue(connector.push(skus.stream().map(sku -> item(sku, "5.00", 2)).toList()).stream().allMatch(r -> r.outcome() == Outcome.ACCEPTED));
        assertEquals(1, calls("bulk_update_price_quantity") - bulkBefore);
        assertEquals(3, calls("offer") - offersBefore, "no lookup after the memory was cleared: the table has them");
    }

    @Test
    void anOfferEbayNoLongerKnowsIsForgottenRetriedAndLookedUpAgain() throws SQLException {
        String prefix = newSku();
        String sku = seedEbayInventory(Map.of("count", 1, "skuPrefix", prefix)).get(0);
        String oldOffer = connector.resolveOffers(List.of(sku)).get(sku);

        // the seller ended and relisted it: the same SKU now has another offer
        given().delete("/sandbox/ebay/_inventory").then().statusCode(200);
        seedEbayInventory(Map.of("count", 1, "skuPrefix", prefix));
        String newOffer = onEbay(sku).getString("offerId");
        assertFalse(oldOffer.equals(newOffer));

        PushResult stale = connector.push(List.of(item(sku, "8.00", 4))).get(0);
        assertEquals(Outcome.RETRY, stale.outcome());
        assertTrue(stale.reason().startsWith("eBay 25713: "), stale.reason());
        assertEquals(Optional.empty(), storedOffer(sku), "forgotten in the table too");
        assertFalse(knownOffer(sku));

        assertEquals(List.of(PushResult.accepted(sku)), connector.push(List.of(item(sku, "8.00", 4))));
        assertEquals(Optional.of(Optional.of(newOffer)), storedOffer(sku));
        assertEquals("8.00", onEbay(sku).getString("price"));
    }

    @Test
    void moreThanTwentyFiveItemsOrOneSkuTwiceAreNeverSent() {
        List<String> skus = seedEbayInventory(Map.of("count", 26, "skuPrefix", newSku()));
        long offersBefore = calls("offer");
        long bulkBefore = calls("bulk_update_price_quantity");

        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> connector.push(skus.stream().map(sku -> item(sku, "3.00", 1)).toList()));
        assertTrue(tooMany.getMessage().contains("at most 25"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> connector.push(List.of(item(skus.get(0), "3.00", 1), item(skus.get(0), "4.00", 1))));

        assertEquals(0, calls("offer") - offersBefore);
        assertEquals(0, calls("bulk_update_price_quantity") - bulkBefore);
        assertEquals("19.99", onEbay(skus.get(0)).getString("price"));
    }

    @Test
    void failuresOfTheWholeCallAreTransientOrPermanentAndAnExhaustedQuotaHoldsTheApi() {
        List<String> skus = seedEbayInventory(Map.of("count", 2, "skuPrefix", newSku()));
        List<CatalogItem> batch = skus.stream().map(sku -> item(sku, "6.00", 2)).toList();
        connector.resolveOffers(skus);
        String path = "/sell/inventory/v1/bulk_update_price_quantity";

        ebayFault(Map.of("path", path, "status", 503, "times", 1));
        assertThrows(TransientFailure.class, () -> connector.push(batch));

        ebayFault(Map.of("path", path, "status", 400, "errorId", 25709, "message", "Invalid value for requests.", "times", 1));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> connector.push(batch));
        assertTrue(refused.getMessage().contains("HTTP 400") && refused.getMessage().contains("25709 Invalid value for requests."),
                refused.getMessage());

        ebayFault(Map.of("path", path, "status", 429, "errorId", 2001, "headers", Map.of("Retry-After", "2"), "times", 1));
        TransientFailure quota = assertThrows(TransientFailure.class, () -> connector.push(batch));
        assertTrue(quota.retryAfter().isPresent());
        long bulkBefore = calls("bulk_update_price_quantity");
        TransientFailure held = assertThrows(TransientFailure.class, () -> connector.push(batch), "the Inventory API waits for its quota");
        assertTrue(held.getMessage().contains("quota"), held.getMessage());
        assertEquals(0, calls("bulk_update_price_quantity") - bulkBefore);

        Map<String, Outcome> outcomes = new HashMap<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(TransientFailure.class)
                .until(() -> {
                    connector.push(batch).forEach(r -> outcomes.put(r.sku(), r.outcome()));
                    return true;
                });
        assertEquals(Map.of(skus.get(0), Outcome.ACCEPTED, skus.get(1), Outcome.ACCEPTED), outcomes);
        assertEquals("6.00", onEbay(skus.get(1)).getString("price"));
    }

    private boolean knownOffer(String sku) {
        return connector.withKnownOffer(List.of(sku)).contains(sku);
    }
}

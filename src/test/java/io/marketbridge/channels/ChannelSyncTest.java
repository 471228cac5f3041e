package io.marketbridge.channels;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.marketbridge.cartona.CartonaOrderPoller;
import io.marketbridge.odoo.OdooCatalogChanges;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Database;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.marketbridge.channels.ChannelFixtures.cartonaPrice;
import static io.marketbridge.channels.ChannelFixtures.ebayQuantity;
import static io.marketbridge.channels.ChannelFixtures.medusaStock;
import static io.marketbridge.channels.ChannelFixtures.catalog;
import static io.marketbridge.channels.ChannelFixtures.ebayPrice;
import static io.marketbridge.channels.ChannelFixtures.fullSync;
import static io.marketbridge.channels.ChannelFixtures.medusaPrice;
import static io.marketbridge.channels.ChannelFixtures.odooPrice;
import static io.marketbridge.channels.ChannelFixtures.stats;
import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCall;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odoo → eBay, Cartona and Medusa, counted at the simulators: changed SKUs cost one call per
 * channel batch and unchanged ones none; partial failures keep what was accepted and retry or
 * dead-letter the rest with the channel's reason; a lost push heals at the next reconciliation;
 * a dry run changes nothing and lists what the real run does; the Odoo webhook syncs at once.
 */
@QuarkusTest
@TestProfile(ChannelSyncTest.Channels.class)
class ChannelSyncTest {

    static final String SECRET = "odoo-webhook-secret-for-tests";

    /** A connected eBay seller, the Odoo webhook's secret; the test runs each poll itself. */
    public static class Channels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("marketbridge.ebay.refresh-token", "sandbox-refresh-token");
            overrides.put("marketbridge.ebay.orders.poll-period", "1h");
            overrides.put("marketbridge.ebay.inventory.poll-period", "1h");
            overrides.put("marketbridge.odoo.webhook-secret", SECRET);
            overrides.put("marketbridge.channels.poll-period", "1h");
            overrides.put("marketbridge.channels.safety-stock.cartona", "2");
            // the simulated Odoo shares this service's clock: a fresh install follows changes from the moment it starts
            overrides.put("marketbridge.channels.clock-skew", "0s");
            return overrides;
        }
    }

    @Inject
    OdooCatalogChanges changes;

    @Inject
    CartonaOrderPoller cartonaOrders;

    @Inject
    Cursors cursors;

    @Inject
    Database db;

    @Inject
    CamelContext camel;

    /** As Odoo's "Send Webhook Notification" posts it: the secret in the URL, the record's model and id in the body. */
    private static void webhook(String model, long id) {
        given().contentType("application/json").body(Map.of("_model", model, "_id", id, "_action", "Marketbridge sync", "id", id))
                .post("/webhooks/odoo?secret=" + SECRET).then().statusCode(202);
    }

    @Test
    void changedSkusCostOneCallPerChannelBatchAndUnchangedOnesNone() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(60, "10.00", 5);
        for (String channel : List.of("ebay", "cartona", "medusa")) {
            assertEquals("DONE", fullSync(channel, false).getString("state"), channel);
        }
        assertEquals("10.00", cartonaPrice(catalog.sku(7)));
        assertEquals(3, ChannelFixtures.cartonaStock(catalog.sku(7)), "on hand 5 minus Cartona's safety stock of 2");

        changes.poll(); // following Odoo's changes from here on
        awaitIdle(); // whatever that poll found is pushed before the change below, so it cannot split the change's batches
        Thread.sleep(1100); // write_date has whole seconds: the poll follows from the second after the catalog as it stood
        JsonPath ebayBefore = stats("ebay"), cartonaBefore = stats("cartona"), medusaBefore = stats("medusa");
        odooPrice(catalog.templateId(), "12.50");
        changes.poll();

        await().atMost(Duration.ofSeconds(20)).until(() -> catalog.skus().stream().allMatch(sku -> "12.50".equals(cartonaPrice(sku))
                && "12.50".equals(ebayPrice(sku)) && Double.valueOf(12.5).equals(medusaPrice(sku))));
        assertEquals(3, ChannelFixtures.ebayBulkCalls(stats("ebay")) - ChannelFixtures.ebayBulkCalls(ebayBefore), "⌈60/25⌉ eBay calls");
        assertEquals(1, ChannelFixtures.cartonaBulkCalls(stats("cartona")) - ChannelFixtures.cartonaBulkCalls(cartonaBefore), "⌈60/100⌉");
        long medusaWrites = stats("medusa").getLong("writes") - medusaBefore.getLong("writes");
        assertTrue(medusaWrites >= 1 && medusaWrites <= 2, "Medusa batched: one product batch for one template, " + medusaWrites);

        JsonPath ebayAfter = stats("ebay"), cartonaAfter = stats("cartona"), medusaAfter = stats("medusa");
        webhook("product.template", catalog.templateId()); // Odoo says it changed; nothing differs from what the channels hold
        long synced = ChannelFixtures.done("odoo.RecordsChanged");
        await().atMost(Duration.ofSeconds(10)).until(() -> ChannelFixtures.done("odoo.RecordsChanged") >= synced);
        awaitIdle();
        assertEquals(ChannelFixtures.ebayBulkCalls(ebayAfter), ChannelFixtures.ebayBulkCalls(stats("ebay")), "unchanged: no eBay call");
        assertEquals(ChannelFixtures.cartonaBulkCalls(cartonaAfter), ChannelFixtures.cartonaBulkCalls(stats("cartona")), "no Cartona call");
        assertEquals(medusaAfter.getLong("writes"), stats("medusa").getLong("writes"), "no Medusa write");
    }

    @Test
    void theFirstPollFollowsOdooFromNowAndLeavesTheCatalogAsItStandsToAFullSync() throws Exception {
        try (Connection c = db.connection()) {
            Database.execute(c, "DELETE FROM poll_cursor WHERE flow = ?", OdooCatalogChanges.FLOW); // a fresh install
        }
        ChannelFixtures.Catalog existing = catalog(1, 3, "60.00", 2, false);
        settled(); // counted from a still inbox
        Thread.sleep(1100); // the catalog as it stood is from an earlier second than the install (write_date has whole seconds)
        long cartonaCalls = ChannelFixtures.cartonaBulkCalls(stats("cartona"));
        long changeEvents = inboxCount("odoo.RecordsChanged", "DONE") + inboxCount("odoo.RecordsChanged", "PENDING");

        changes.poll();
        changes.poll();
        assertTrue(cursors.get(OdooCatalogChanges.FLOW).isPresent(), "the first poll sets where following starts");
        assertEquals(changeEvents, inboxCount("odoo.RecordsChanged", "DONE") + inboxCount("odoo.RecordsChanged", "PENDING"),
                "the catalog as it stands is no change");
        assertEquals(cartonaCalls, ChannelFixtures.cartonaBulkCalls(stats("cartona")));
        assertEquals(null, cartonaPrice(existing.sku(1)), "it waits for a full sync");

        Thread.sleep(1100); // a change in a later second than the catalog as it stood
        odooPrice(existing.templateId(), "61.00");
        changes.poll();
        await().atMost(Duration.ofSeconds(10)).until(() -> existing.skus().stream().allMatch(sku -> "61.00".equals(cartonaPrice(sku))));
    }

    @Test
    void aVariantArchivedOrUnpublishedInOdooIsWithdrawnFromTheChannelsThatNoLongerCarryIt() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(1, 3, "65.00", 5, true);
        long published = productId(catalog.sku(1));
        ChannelFixtures.odooWrite("product.template", catalog.templateId(), Map.of("is_published", true));
        assertEquals("DONE", fullSync("all", false).getString("state"));
        assertEquals(5, ChannelFixtures.ebayQuantity(catalog.sku(1)));
        assertEquals(3, ChannelFixtures.cartonaStock(catalog.sku(1)), "5 on hand, 2 held back");
        assertEquals(5, ChannelFixtures.medusaStock(catalog.sku(1)));

        // variant 1 archived: no channel sells it; the template off the website: Medusa no longer sells any of it
        ChannelFixtures.odooWrite("product.product", published, Map.of("active", false));
        ChannelFixtures.odooWrite("product.template", catalog.templateId(), Map.of("is_published", false));
        webhook("product.template", catalog.templateId());
        webhook("product.product", published);
        await().atMost(Duration.ofSeconds(10)).until(() -> ChannelFixtures.ebayQuantity(catalog.sku(1)) == 0
                && ChannelFixtures.cartonaStock(catalog.sku(1)) == 0 && catalog.skus().stream().allMatch(sku -> medusaStock0(sku)));
        assertEquals(5, ChannelFixtures.ebayQuantity(catalog.sku(2)), "still sold on eBay");
        assertEquals(3, ChannelFixtures.cartonaStock(catalog.sku(3)), "still sold on Cartona");
        assertEquals("65.00", ebayPrice(catalog.sku(1)), "withdrawn at its last price");
    }

    @Test
    void anIntegrationEngineersRoutingRuleDecidesWhichChannelCarriesAVariant() throws Exception {
        ChannelFixtures.Catalog cheap = catalog(1, 1, "40.00", 3, false);
        ChannelFixtures.Catalog dear = catalog(1, 1, "60.00", 3, false);
        for (ChannelFixtures.Catalog catalog : List.of(cheap, dear)) {
            ChannelFixtures.odooWrite("product.template", catalog.templateId(), Map.of("is_published", true));
        }
        // Medusa's rule edited: published and priced above 50 (a header and the body alike)
        JsonPath run = medusaFullSyncWithRule("${header.published} && ${body.price} > 50");
        assertEquals("DONE", run.getString("state"));
        assertEquals(60.0, medusaPrice(dear.sku(1)));
        assertEquals(null, medusaPrice(cheap.sku(1)), "40.00 is not above 50: Medusa does not carry it");

        assertEquals("DONE", fullSync("medusa", false).getString("state"));
        assertEquals(40.0, medusaPrice(cheap.sku(1)), "the packaged rule again: every published variant");
    }

    @Test
    void aRoutingRuleWrittenForTheOldCandidateFailsTheSyncNamingTheRoute() throws Exception {
        catalog(1, 1, "42.00", 3, false);
        // as the rules read before the variant's facts became headers
        JsonPath run = medusaFullSyncWithRule("${body.isListedOn('medusa')}");
        assertEquals("FAILED", run.getString("state"));
        assertTrue(run.getString("error").contains("the channel routing rules (route channel-routing) failed for SKU "), run.prettify());
        assertTrue(run.getString("error").contains("isListedOn"), run.prettify());
    }

    /** A full sync of Medusa with its line of the packaged routing rules replaced by {@code rule}; the packaged rules again after it. */
    private JsonPath medusaFullSyncWithRule(String rule) throws Exception {
        String packaged = Files.readString(Path.of("routes/channels.yaml"));
        String routing = packaged.substring(packaged.indexOf("- route:\n    id: channel-routing"), packaged.indexOf("- route:\n    id: odoo-catalog-poll"));
        String medusa = "simple: \"${header.published}\"";
        assertTrue(routing.contains(medusa), routing);
        RoutesLoader routes = PluginHelper.getRoutesLoader(camel);
        routes.updateRoutes(ResourceHelper.fromString("edited-routing.yaml", routing.replace(medusa, "simple: \"" + rule + "\"")));
        try {
            return fullSync("medusa", false);
        } finally {
            routes.updateRoutes(ResourceHelper.fromString("channel-routing.yaml", routing));
        }
    }

    @Test
    void aProductWithoutSkuChangedInOdooIsLeftOutAndTheOthersArePushed() throws Exception {
        // real Odoo 17's demo data has sellable products without an internal reference; eBay's connector once failed on them
        ChannelFixtures.Catalog catalog = catalog(1, 1, "30.00", 4, true);
        assertEquals("DONE", fullSync("all", false).getString("state"));
        long withoutSku = io.marketbridge.testsupport.Sandbox.odooCreate("product.template",
                Map.of("name", "Gift wrapping", "sale_ok", true, "list_price", 2.5));
        odooPrice(catalog.templateId(), "31.00");
        webhook("product.template", withoutSku);
        webhook("product.template", catalog.templateId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "31.00".equals(ebayPrice(catalog.sku(1))));
        awaitIdle();
        assertEquals(0, inboxCount("odoo.RecordsChanged", "PENDING"), "no change event waits for a retry");
        assertEquals(0, inboxCount("odoo.RecordsChanged", "DEAD"));
    }

    @Test
    void anEbayOfferSaidToBeGoneIsLookedUpAgainAndNotZeroedOnAGuess() {
        ChannelFixtures.Catalog catalog = catalog(1, 2, "25.00", 6, true);
        assertEquals("DONE", fullSync("ebay", false).getString("state"));
        assertEquals(6, ChannelFixtures.ebayQuantity(catalog.sku(1)));

        // eBay answers that the offer is gone (it was relisted, say): forgotten, and the retry looks it up again
        ChannelFixtures.ebayItemRule(catalog.sku(1), Map.of("reject", Map.of("errorId", 25713, "message", "This Offer is not available",
                "times", 1)));
        odooPrice(catalog.templateId(), "26.00");
        webhook("product.template", catalog.templateId());
        await().atMost(Duration.ofSeconds(15)).until(() -> "26.00".equals(ebayPrice(catalog.sku(1))) && "26.00".equals(ebayPrice(catalog.sku(2))));
        assertEquals(6, ChannelFixtures.ebayQuantity(catalog.sku(1)), "still for sale, not withdrawn");
        settled(); // the other channels' pushes of the change may land after eBay's
    }

    @Test
    void aVariantArchivedWhileNobodyToldUsIsWithdrawnByTheNextReconciliation() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(1, 2, "45.00", 6, false);
        assertEquals("DONE", fullSync("cartona", false).getString("state"));
        assertEquals(4, ChannelFixtures.cartonaStock(catalog.sku(2)));

        ChannelFixtures.odooWrite("product.product", productId(catalog.sku(2)), Map.of("active", false)); // no webhook, no poll
        JsonPath dry = fullSync("cartona", true);
        List<Map<String, Object>> withdrawals = dry.<Map<String, Object>>getList("plan").stream().filter(e -> "WITHDRAW".equals(e.get("action")))
                .toList();
        assertEquals(List.of(Map.of("action", "WITHDRAW", "product", catalog.sku(2), "skus", List.of(catalog.sku(2)), "differences",
                List.of("quantity 4 -> 0"))), withdrawals.stream().filter(e -> e.get("product").equals(catalog.sku(2))).toList(),
                "the dry run lists the withdrawal");
        assertEquals(4, ChannelFixtures.cartonaStock(catalog.sku(2)), "and does not make it");

        JsonPath run = fullSync("cartona", false);
        assertEquals("DONE", run.getString("state"));
        assertEquals(0, ChannelFixtures.cartonaStock(catalog.sku(2)), "withdrawn");
        assertEquals(4, ChannelFixtures.cartonaStock(catalog.sku(1)));
        assertEquals(withdrawals.size(), run.getInt("withdrawn.accepted"), "the real run withdraws what the dry run listed");
        assertEquals(0, fullSync("cartona", false).getInt("withdrawn.pushed"), "withdrawn once");
    }

    private static boolean medusaStock0(String sku) {
        return Integer.valueOf(0).equals(ChannelFixtures.medusaStock(sku));
    }

    private static long productId(String sku) {
        return ((Number) io.marketbridge.testsupport.Sandbox.odoo("product.product", List.of(List.of("default_code", "=", sku)), List.of("id"))
                .get(0).get("id")).longValue();
    }

    @Test
    void aPartialFailureRecordsTheOthersAndRetriesOrDeadLettersTheRejected() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(30, "20.00", 4);
        assertEquals("DONE", fullSync("ebay", false).getString("state"));
        ChannelFixtures.ebayItemRule(catalog.sku(3), Map.of("reject", Map.of("errorId", 25002, "message", "The price is below the minimum")));
        ChannelFixtures.ebayItemRule(catalog.sku(4), Map.of("reject", Map.of("errorId", 25001, "times", 1)));

        odooPrice(catalog.templateId(), "21.00");
        webhook("product.template", catalog.templateId());

        await().atMost(Duration.ofSeconds(20)).until(() -> catalog.skus().stream().filter(sku -> !sku.equals(catalog.sku(3)))
                .allMatch(sku -> "21.00".equals(ebayPrice(sku))));
        assertEquals("20.00", ebayPrice(catalog.sku(3)), "refused by eBay");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD)
                .get("/admin/dead-letters").asString().contains(catalog.sku(3)));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/dead-letters").then()
                .body(containsString("25002")).body(containsString("The price is below the minimum"));
    }

    @Test
    void aMedusaRefusalNamingNoProductHoldsBackNoOtherChannelAndItsPartIsDeadLetteredAndReplayedAlone() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(1, 3, "56.00", 5, true);
        ChannelFixtures.odooWrite("product.template", catalog.templateId(), Map.of("is_published", true));
        assertEquals("DONE", fullSync("all", false).getString("state"));
        assertEquals(56.0, medusaPrice(catalog.sku(1)));

        // Medusa refuses every product call with a message that names no product
        given().contentType("application/json").body(Map.of("path", "/admin/products", "status", 400,
                "message", "Invalid request: Unrecognized fields: 'options'")).post("/sandbox/medusa/_faults").then().statusCode(200);
        Map<?, ?> letter;
        try {
            odooPrice(catalog.templateId(), "57.00");
            webhook("product.template", catalog.templateId());
            await().atMost(Duration.ofSeconds(10)).until(() -> catalog.skus().stream()
                    .allMatch(sku -> "57.00".equals(ebayPrice(sku)) && "57.00".equals(cartonaPrice(sku))));
            await().atMost(Duration.ofSeconds(10)).until(() -> medusaPart(catalog) != null);
            letter = medusaPart(catalog);
            assertTrue(String.valueOf(letter.get("reason")).contains("Unrecognized fields"), letter.toString());
            assertEquals(56.0, medusaPrice(catalog.sku(1)), "refused by Medusa");
            assertTrue(deadLetters().stream().noneMatch(l -> "odoo.RecordsChanged".equals(l.get("eventType"))
                    && String.valueOf(l.get("eventKey")).startsWith(String.valueOf(letter.get("eventKey")).replaceFirst(":medusa$", ""))
                    && !String.valueOf(l.get("eventKey")).endsWith(":medusa")), "the change itself is done: only Medusa's part is left");
        } finally {
            given().delete("/sandbox/medusa/_faults").then().statusCode(200);
        }

        // replayed once Medusa takes it again: Medusa alone gets the change
        long cartonaCalls = ChannelFixtures.cartonaBulkCalls(stats("cartona"));
        long ebayCalls = ChannelFixtures.ebayBulkCalls(stats("ebay"));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/dead-letters/" + letter.get("id") + "/replay").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.skus().stream().allMatch(sku -> Double.valueOf(57).equals(medusaPrice(sku))));
        assertEquals(cartonaCalls, ChannelFixtures.cartonaBulkCalls(stats("cartona")), "the replay pushes nothing to Cartona");
        assertEquals(ebayCalls, ChannelFixtures.ebayBulkCalls(stats("ebay")), "nor to eBay");
        settled();
    }

    @Test
    void aChannelThatIsDownIsRetriedOnItsOwnWhileTheOthersGetTheChangeAtOnce() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(1, 2, "58.00", 5, true);
        ChannelFixtures.odooWrite("product.template", catalog.templateId(), Map.of("is_published", true));
        assertEquals("DONE", fullSync("all", false).getString("state"));

        given().contentType("application/json").body(Map.of("path", "/admin/products", "status", 503))
                .post("/sandbox/medusa/_faults").then().statusCode(200);
        try {
            odooPrice(catalog.templateId(), "59.00");
            webhook("product.template", catalog.templateId());
            await().atMost(Duration.ofSeconds(10)).until(() -> catalog.skus().stream()
                    .allMatch(sku -> "59.00".equals(ebayPrice(sku)) && "59.00".equals(cartonaPrice(sku))));
            // the change is done; Medusa's part waits in the inbox for its own retries
            await().atMost(Duration.ofSeconds(20)).until(() -> medusaPartStatus(catalog) != null);
            assertEquals(58.0, medusaPrice(catalog.sku(1)), "Medusa is down");
        } finally {
            given().delete("/sandbox/medusa/_faults").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.skus().stream().allMatch(sku -> Double.valueOf(59).equals(medusaPrice(sku))));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(medusaPartStatus(catalog)));
        assertEquals(null, medusaPart(catalog), "retried, never dead-lettered");
        settled();
    }

    /** The status of the newest inbox event holding Medusa's part of a change of this catalog, or null. */
    private String medusaPartStatus(ChannelFixtures.Catalog catalog) throws Exception {
        long variant = Long.parseLong(ChannelFixtures.cartonaId(catalog.sku(1)));
        try (Connection c = db.connection(); var ps = c.prepareStatement("SELECT status, payload FROM inbox_event WHERE event_type = ?"
                + " AND event_key LIKE ? ORDER BY id DESC")) {
            ps.setString(1, "odoo.RecordsChanged");
            ps.setString(2, "%:medusa");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2).matches(".*\\D" + variant + "\\D.*")) {
                        return rs.getString(1);
                    }
                }
            }
        }
        return null;
    }

    /**
     * Issue 9: Medusa refuses one product with a message that names no product (as 2.16+ refused {@code options} in an
     * update): that product alone is dead-lettered with Medusa's reason, and the full sync of the others goes on.
     */
    @Test
    void aProductMedusaRefusesWithoutNamingItFailsAloneAndTheFullSyncGoesOn() {
        ChannelFixtures.Catalog catalog = catalog(3, 2, "41.00", 4, false);
        String refusal = "Invalid request: The 'options' property was removed in version 2.16.0. Please remove it from your request payload.";
        List<String> refused = catalog.skus().subList(2, 4); // the second template's two variants
        given().contentType("application/json").body(Map.of("reject", Map.of("message", refusal)))
                .post("/sandbox/medusa/_skus/" + refused.get(0)).then().statusCode(200);
        try {
            JsonPath run = fullSync("medusa", false);

            assertEquals("DONE", run.getString("state"), run.prettify());
            assertTrue(run.getInt("totals.rejected") >= 2, run.prettify());
            for (String sku : catalog.skus()) {
                assertEquals(refused.contains(sku) ? null : Double.valueOf(41), medusaPrice(sku), sku);
            }
            for (String sku : refused) {
                assertTrue(deadLetters().stream().anyMatch(l -> l.get("replayedAt") == null
                        && String.valueOf(l.get("reason")).equals("medusa refused " + sku + ": Medusa: invalid_data: " + refusal)), sku);
            }
        } finally {
            given().contentType("application/json").body(Map.of("reject", "none")).post("/sandbox/medusa/_skus/" + refused.get(0))
                    .then().statusCode(200);
        }
    }

    /** No change event left in flight, so the next test counts from a still inbox. */
    private static void settled() {
        awaitIdle();
    }

    private static List<Map<?, ?>> deadLetters() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/dead-letters?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("$", Map.class).stream().<Map<?, ?>>map(l -> l).toList();
    }

    /** The open dead letter holding Medusa's part of a change of this catalog's template, or null. */
    private static Map<?, ?> medusaPart(ChannelFixtures.Catalog catalog) {
        return deadLetters().stream().filter(l -> "odoo.RecordsChanged".equals(l.get("eventType"))
                && String.valueOf(l.get("eventKey")).endsWith(":medusa") && String.valueOf(l.get("reason")).contains("medusa")
                && l.get("replayedAt") == null && String.valueOf(l.get("reason")).contains(catalog.skus().size() + " items")).findFirst().orElse(null);
    }

    @Test
    void aPushTheChannelAcknowledgedAndLostIsHealedByTheNextReconciliation() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(10, "30.00", 8);
        assertEquals("DONE", fullSync("cartona", false).getString("state"));
        ChannelFixtures.cartonaRules(Map.of("drop", List.of(ChannelFixtures.cartonaId(catalog.sku(2)))));
        odooPrice(catalog.templateId(), "31.00");
        webhook("product.template", catalog.templateId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "31.00".equals(cartonaPrice(catalog.sku(1))));
        awaitIdle();
        assertEquals("30.00", cartonaPrice(catalog.sku(2)), "Cartona said yes and kept the old price");

        ChannelFixtures.cartonaRules(null);
        assertEquals("DONE", fullSync("cartona", false).getString("state"));
        assertEquals("31.00", cartonaPrice(catalog.sku(2)), "healed");
    }

    @Test
    void aDryRunChangesNothingAndListsWhatTheRealRunDoes() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(12, "40.00", 6);
        assertEquals("DONE", fullSync("cartona", false).getString("state"));
        odooPrice(catalog.templateId(), "44.00");
        JsonPath before = stats("cartona");

        JsonPath dry = fullSync("cartona", true);
        assertEquals(ChannelFixtures.cartonaBulkCalls(before), ChannelFixtures.cartonaBulkCalls(stats("cartona")), "a dry run sends nothing");
        assertEquals("40.00", cartonaPrice(catalog.sku(1)));
        List<Map<String, Object>> plan = dry.getList("plan");
        for (String sku : catalog.skus()) {
            Map<String, Object> entry = plan.stream().filter(e -> sku.equals(e.get("product"))).findFirst().orElseThrow();
            assertEquals("UPDATE", entry.get("action"), sku);
            assertEquals(List.of("price 40.00 -> 44.00"), entry.get("differences"), sku);
        }

        long received = stats("cartona").getLong("itemsReceived");
        JsonPath real = fullSync("cartona", false);
        assertEquals(plan.size(), stats("cartona").getLong("itemsReceived") - received, "the real run sends exactly the plan's items");
        assertEquals(plan.size(), real.getInt("totals.pushed"));
        catalog.skus().forEach(sku -> assertEquals("44.00", cartonaPrice(sku)));
        JsonPath status = given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/status").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("DONE", status.getString("channelSyncs.cartona.state"), "progress and counts per channel in the admin status");
        assertEquals(plan.size(), status.getInt("channelSyncs.cartona.totals.accepted"));
    }

    @Test
    void aCartonaOrderTheSupplierApprovesInOdooLowersWhatEbayMedusaAndCartonaOfferWithinOneChangeCycle() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(1, "20.00", 9);
        String sku = catalog.sku(1);
        for (String channel : List.of("ebay", "cartona", "medusa")) {
            assertEquals("DONE", fullSync(channel, false).getString("state"), channel);
        }
        assertEquals(9, ebayQuantity(sku));
        assertEquals(9, medusaStock(sku));
        changes.poll(); // following Odoo's changes from here on
        awaitIdle();
        Thread.sleep(1100); // write_date has whole seconds: the poll follows from the second after the catalog as it stood

        String hashedId = given().contentType("application/json").body(Map.of("retailer", Map.of("retailer_code", "R-" + sku),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(productId(sku)), "amount", 4, "selling_price", "20.00"))))
                .post("/sandbox/cartona/_orders").then().statusCode(201).extract().path("hashed_id");
        cartonaOrders.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> !saleOrderIds("cartona:" + hashedId).isEmpty());
        assertEquals(9, ebayQuantity(sku), "a quotation holds no stock");
        odooCall("sale.order", "action_confirm", saleOrderIds("cartona:" + hashedId)); // the supplier approves: Odoo reserves 4
        changes.poll(); // one change cycle

        await().atMost(Duration.ofSeconds(20)).until(() -> ebayQuantity(sku) == 5 && Integer.valueOf(5).equals(medusaStock(sku))
                && ChannelFixtures.cartonaStock(sku) == 3);
    }

    private static List<Long> saleOrderIds(String ref) {
        return odoo("sale.order", List.of(List.of("client_order_ref", "=", ref)), List.of("id")).stream()
                .map(order -> ((Number) order.get("id")).longValue()).toList();
    }

    @Test
    void anOdooPriceChangeReachesEveryChannelWithinFiveSecondsThroughTheWebhook() throws Exception {
        ChannelFixtures.Catalog catalog = catalog(3, "50.00", 9);
        for (String channel : List.of("ebay", "cartona", "medusa")) {
            assertEquals("DONE", fullSync(channel, false).getString("state"), channel);
        }
        odooPrice(catalog.templateId(), "55.00");
        long started = System.nanoTime();
        webhook("product.template", catalog.templateId());
        await().atMost(Duration.ofSeconds(5)).until(() -> "55.00".equals(ebayPrice(catalog.sku(1))) && "55.00".equals(cartonaPrice(catalog.sku(1)))
                && Double.valueOf(55).equals(medusaPrice(catalog.sku(1))));
        System.out.printf("Odoo webhook -> every channel in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void aFullSyncReadsEbaysInventoryPastItsFirstPage() {
        // more than a page of getInventoryItems (200) lies before this test's listings, whatever ran before
        given().contentType("application/json").body(Map.of("count", 201, "skuPrefix", "PAGE" + UUID.randomUUID().toString().substring(0, 8),
                "quantity", 0, "price", "1.00")).post("/sandbox/ebay/_inventory").then().statusCode(200);
        ChannelFixtures.Catalog listed = catalog(1, 2, "73.00", 4, true);
        JsonPath ebayBefore = stats("ebay");

        assertEquals("DONE", fullSync("ebay", false).getString("state"));
        listed.skus().forEach(sku -> assertEquals("73.00", ebayPrice(sku), sku + " is on a later page of eBay's inventory"));
        assertTrue(ChannelFixtures.ebayCalls(stats("ebay"), "inventory_item") - ChannelFixtures.ebayCalls(ebayBefore, "inventory_item") >= 2);
    }

    @Test
    void aSyncOfAllChannelsPushesEachOneAndOnlyTheSkusListedOnEbayCostAnOfferLookup() {
        ChannelFixtures.Catalog listed = catalog(2, 3, "70.00", 4, true);
        ChannelFixtures.Catalog unlisted = catalog(50, 4, "71.00", 4, false);
        JsonPath ebayBefore = stats("ebay");

        JsonPath run = fullSync("all", false);
        assertEquals("DONE", run.getString("state"), run.prettify());
        assertEquals(Set.of("ebay", "cartona", "medusa"), Set.copyOf(run.getList("channels")));
        for (String channel : List.of("ebay", "cartona", "medusa")) {
            assertEquals("DONE", run.getString("byChannel." + channel + ".state"), channel);
            assertEquals("DONE", ChannelFixtures.report(channel).getString("state"), "each channel's report shows the shared run");
        }
        listed.skus().forEach(sku -> assertEquals("70.00", ebayPrice(sku), sku));
        unlisted.skus().forEach(sku -> assertEquals("71.00", cartonaPrice(sku), sku));
        assertEquals(71.0, medusaPrice(unlisted.sku(200)));
        assertEquals(null, ebayPrice(unlisted.sku(1)), "not on eBay: not pushed there");

        // eBay's inventory says which SKUs it holds; the 200 it does not hold cost no getOffers call
        long lookups = ChannelFixtures.ebayCalls(stats("ebay"), "offer") - ChannelFixtures.ebayCalls(ebayBefore, "offer");
        assertTrue(lookups >= listed.skus().size() && lookups < unlisted.skus().size(), "getOffers calls: " + lookups);
        assertTrue(ChannelFixtures.ebayCalls(stats("ebay"), "inventory_item") > ChannelFixtures.ebayCalls(ebayBefore, "inventory_item"));

        JsonPath again = fullSync("all", false);
        assertEquals("DONE", again.getString("state"));
        assertEquals(ChannelFixtures.ebayCalls(stats("ebay"), "offer"), ChannelFixtures.ebayCalls(ebayBefore, "offer") + lookups,
                "offers once resolved are not looked up again");
    }

    @Test
    void aRunningSyncCanBeCancelledForOneChannelWhileTheOthersFinish() {
        catalog(120, 5, "90.00", 3, false); // 600 SKUs: two pages, six Cartona calls at least
        given().contentType("application/json").body(Map.of("path", "/api/v1/supplier-product/bulk-update", "delayMillis", 1000))
                .post("/sandbox/cartona/_faults").then().statusCode(200);
        try {
            given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/sync/all").then().statusCode(202)
                    .body("state", equalTo("RUNNING"));
            given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/sync/cartona").then().statusCode(409)
                    .body("error", containsString("DELETE /admin/sync/cartona"));
            given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).delete("/admin/sync/cartona").then().statusCode(202);

            await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(ChannelFixtures.report("all").getString("state")));
            JsonPath run = ChannelFixtures.report("all");
            assertEquals("CANCELLED", run.getString("state"));
            assertEquals("CANCELLED", run.getString("byChannel.cartona.state"));
            assertEquals("DONE", run.getString("byChannel.ebay.state"));
            assertEquals("DONE", run.getString("byChannel.medusa.state"));
            long considered = run.getLong("byChannel.medusa.totals.considered");
            long cartonaCalls = run.getLong("byChannel.cartona.totals.calls");
            assertTrue(cartonaCalls < (considered + 99) / 100, "Cartona stopped early: " + cartonaCalls + " calls");
            given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).delete("/admin/sync/cartona").then().statusCode(404);
        } finally {
            given().delete("/sandbox/cartona/_faults").then().statusCode(200);
        }
        assertEquals("DONE", fullSync("cartona", false).getString("state"), "a cancelled channel syncs again");
    }

    @Test
    void aChannelThatBlipsDuringAFullSyncIsAskedAgainAndTheRunFinishes() {
        ChannelFixtures.Catalog catalog = catalog(1, 4, "33.00", 5, false);
        given().contentType("application/json").body(Map.of("path", "/api/v1/supplier-product/bulk-update", "status", 503, "times", 2))
                .post("/sandbox/cartona/_faults").then().statusCode(200);
        try {
            JsonPath run = fullSync("cartona", false);
            assertEquals("DONE", run.getString("state"), run.prettify());
            catalog.skus().forEach(sku -> assertEquals("33.00", cartonaPrice(sku), sku));
        } finally {
            given().delete("/sandbox/cartona/_faults").then().statusCode(200);
        }
        given().contentType("application/json").body(Map.of("path", "/api/v1/supplier-product/bulk-update", "status", 503))
                .post("/sandbox/cartona/_faults").then().statusCode(200);
        try {
            JsonPath run = fullSync("cartona", false);
            assertEquals("FAILED", run.getString("state"), "a channel that stays down fails the run, with the reason");
            assertTrue(run.getString("error").contains("503"), run.prettify());
        } finally {
            given().delete("/sandbox/cartona/_faults").then().statusCode(200);
        }
    }

    @Test
    void aMedusaDryRunComparesWithWhatMedusaShowsPerProduct() {
        ChannelFixtures.Catalog shown = catalog(1, 2, "80.00", 2, false);
        ChannelFixtures.Catalog kept = catalog(1, 2, "82.00", 2, false);
        assertEquals("DONE", fullSync("medusa", false).getString("state"));
        odooPrice(shown.templateId(), "88.00");
        ChannelFixtures.Catalog added = catalog(1, 2, "81.00", 2, false);
        long writes = stats("medusa").getLong("writes");

        JsonPath dry = fullSync("medusa", true);
        assertEquals(writes, stats("medusa").getLong("writes"), "a dry run writes nothing to Medusa");
        List<Map<String, Object>> plan = dry.getList("plan");
        Map<String, Object> update = plan.stream().filter(e -> e.get("product").equals("odoo-template-" + shown.templateId())).findFirst()
                .orElseThrow();
        assertEquals("UPDATE", update.get("action"));
        assertEquals(shown.skus(), update.get("skus"));
        assertTrue(update.get("differences").toString().matches(".*price.*80.* → 88.*"), update.toString());
        assertEquals("CREATE", plan.stream().filter(e -> e.get("product").equals("odoo-template-" + added.templateId())).findFirst()
                .orElseThrow().get("action"));
        assertEquals("SKIP", plan.stream().filter(e -> e.get("product").equals("odoo-template-" + kept.templateId())).findFirst()
                .orElseThrow().get("action"), "a product Medusa already shows as Odoo has it is skipped");

        fullSync("medusa", false);
        assertEquals(88.0, medusaPrice(shown.sku(1)));
        assertEquals(81.0, medusaPrice(added.sku(2)));
        assertEquals(List.of(), fullSync("medusa", true).getList("plan").stream().map(e -> (Map<?, ?>) e)
                .filter(e -> List.of("CREATE", "UPDATE").contains(e.get("action"))).toList(), "after the real run, nothing is left to do");
    }

    @Test
    void theOdooWebhookRefusesABadSecretOrModelWithAClearReason() {
        given().contentType("application/json").header("X-Marketbridge-Secret", "wrong").body(Map.of("_model", "product.product", "_id", 1))
                .post("/webhooks/odoo").then().statusCode(401).body("error", containsString("shared secret"));
        given().contentType("application/json").body(Map.of("_model", "product.product", "_id", 1))
                .post("/webhooks/odoo?secret=wrong").then().statusCode(401);
        given().contentType("application/json").header("X-Marketbridge-Secret", SECRET).body(Map.of("_model", "res.partner", "_id", 1))
                .post("/webhooks/odoo").then().statusCode(400).body("error", containsString("_model must be one of"));
        given().contentType("application/json").header("X-Marketbridge-Secret", SECRET).body("{not json")
                .post("/webhooks/odoo").then().statusCode(400).body("error", containsString("malformed JSON"));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/sync/amazon").then().statusCode(404)
                .body("error", containsString("unknown channel"));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/sync/cartona?dryRun=maybe").then().statusCode(400);
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).delete("/admin/sync/cartona").then().statusCode(404);
    }
}

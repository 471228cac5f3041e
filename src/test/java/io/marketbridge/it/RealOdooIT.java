package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.OdooRecorder;
import io.marketbridge.testsupport.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar against a REAL Odoo (no simulator on the Odoo side; eBay is the simulated seller), every
 * Odoo call recorded through {@link OdooRecorder} into {@code src/test/resources/odoo-contract/<major>/}, one
 * file per scenario. Runs only where a real Odoo is given (it is not in CI: no Odoo can be installed there):
 * <pre>
 * MARKETBRIDGE_REAL_ODOO_URL=http://127.0.0.1:8069 MARKETBRIDGE_REAL_ODOO_DATABASE=odoo17 \
 * MARKETBRIDGE_REAL_ODOO_API_KEY=... [MARKETBRIDGE_REAL_ODOO_API=json2] \
 *   ./mvnw verify -Dit.test=RealOdooIT -Dit.excludedGroups=benchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * The recordings are replayed against the simulated Odoo in CI by {@code OdooTranscriptTest}.
 */
@Tag("real-peer")
@EnabledIfEnvironmentVariable(named = "MARKETBRIDGE_REAL_ODOO_URL", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealOdooIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String URL = System.getenv("MARKETBRIDGE_REAL_ODOO_URL");
    private static final String DATABASE = System.getenv("MARKETBRIDGE_REAL_ODOO_DATABASE");
    private static final String KEY = System.getenv("MARKETBRIDGE_REAL_ODOO_API_KEY");
    private static final String USER = System.getenv().getOrDefault("MARKETBRIDGE_REAL_ODOO_USERNAME", "admin");
    private static final String API = System.getenv().getOrDefault("MARKETBRIDGE_REAL_ODOO_API", "jsonrpc");

    private static PackagedPeers peers;
    private static OdooRecorder recorder;
    private static ServiceProcess service;
    private static Path transcripts;
    private static String simpleSku;
    private static String simpleItemId;
    private static String orderId;
    private static String paidOrderBuyer;
    private static long shirtTemplate;
    private static String cartonaOrder;
    private static Long uid;

    @BeforeAll
    static void start() throws Exception {
        int major = odooRpc("common", "version", List.of()).path("server_version_info").path(0).asInt();
        transcripts = Path.of("src/test/resources/odoo-contract", String.valueOf(major));
        peers = new PackagedPeers();
        recorder = new OdooRecorder(URI.create(URL));
        Map<String, String> env = new HashMap<>(PackagedPeers.serviceEnv(
                "jdbc:h2:file:" + Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "real-odoo").resolve("db")
                        + ";WRITE_DELAY=0", null, null));
        env.put("MARKETBRIDGE_ODOO_URL", recorder.url());
        env.put("MARKETBRIDGE_ODOO_DATABASE", DATABASE);
        env.put("MARKETBRIDGE_ODOO_USERNAME", USER);
        env.put("MARKETBRIDGE_ODOO_API_KEY", KEY);
        env.put("MARKETBRIDGE_ODOO_API", API);
        env.put("MARKETBRIDGE_ODOO_DECISIONS_USER", USER); // decisions go to the person, as in production
        env.put("MARKETBRIDGE_EBAY_API_URL", peers.peers.url("/sandbox/ebay"));
        env.put("MARKETBRIDGE_EBAY_AUTH_URL", peers.peers.url("/sandbox/ebay"));
        env.put("MARKETBRIDGE_EBAY_ENVIRONMENT", "sandbox");
        env.put("MARKETBRIDGE_CARTONA_ENABLED", "true"); // the simulated Cartona: a channel the catalog feed serves
        env.put("MARKETBRIDGE_CARTONA_URL", peers.peers.url("/sandbox/cartona/api/v1/"));
        env.put("MARKETBRIDGE_CARTONA_TOKEN", "sandbox-cartona-token");
        env.put("MARKETBRIDGE_CARTONA_ORDERS_POLL_PERIOD", "2s");
        env.put("MARKETBRIDGE_CARTONA_ORDERS_POLL_DELAY", "1s");
        env.put("MARKETBRIDGE_EBAY_REFRESH_TOKEN", "sandbox-refresh-token");
        // a shipping product this Odoo has not seen: every recording holds the service making it, even on a database used before
        env.put("MARKETBRIDGE_EBAY_ORDERS_SHIPPING_SKU", "SHIPPING-EBAY-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase());
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_PERIOD", "2s");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_DELAY", "1s");
        env.put("MARKETBRIDGE_EBAY_FULFILMENT_POLL_PERIOD", "2s");
        env.put("MARKETBRIDGE_EBAY_FULFILMENT_POLL_DELAY", "1s");
        env.put("MARKETBRIDGE_POLLING_IDLE_BACKOFF_CAP", "1");
        service = new ServiceProcess("real-odoo", PackagedPeers.SERVICE_PORT, env).start();
        recorder.writeScenario(transcripts, "00-start-up");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    /** Waits until the service has nothing left in its inbox, then writes what it sent Odoo for this scenario. */
    @AfterEach
    void recordScenario(TestInfo test) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> unfinishedEvents() == 0);
        System.out.printf("%s: open dead letters %s%n", test.getDisplayName(), admin("/admin/dead-letters"));
        java.lang.reflect.Method method = test.getTestMethod().orElseThrow();
        recorder.writeScenario(transcripts, String.format("%02d-%s", method.getAnnotation(Order.class).value(), method.getName()));
    }

    @Test
    @Order(1)
    void connectionTest() throws Exception {
        JsonNode connections = admin("/admin/connections");
        assertTrue(connections.get(0).path("reachable").asBoolean(), connections.toPrettyString());
    }

    @Test
    @Order(2)
    void aSignedItemListedBecomesAProductWithPriceCategoryAndStock() throws Exception {
        simpleSku = "REAL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        JsonNode listed = peers.list(Map.of("sku", simpleSku, "title", "Real Odoo " + simpleSku, "price", "19.99", "quantity", 7,
                "categoryId", "15032", "categoryName", "Cell Phones & Accessories:Cell Phones & Smartphones"));
        simpleItemId = listed.get("itemId").asText();
        long started = System.nanoTime();
        assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> product(simpleSku) != null);
        long created = (System.nanoTime() - started) / 1_000_000;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> product(simpleSku).path("qty_available").asDouble() > 0);
        long stocked = (System.nanoTime() - started) / 1_000_000;
        JsonNode product = product(simpleSku);
        System.out.printf("ItemListed -> product in real Odoo %s in %d ms, with its stock in %d ms%n", DATABASE, created, stocked);
        assertEquals(19.99, product.path("list_price").asDouble(), 0.001, product.toString());
        assertEquals(7.0, product.path("qty_available").asDouble(), 0.001, product.toString());
        assertTrue(product.path("categ_id").path(1).asText().endsWith("Cell Phones & Accessories / Cell Phones & Smartphones"),
                product.toString());

        // the first import ran on a cold JVM and made the category path; what the next ones take, one after another
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sku = simpleSku + "-W" + i;
            JsonNode next = peers.list(Map.of("sku", sku, "title", "Real Odoo " + sku, "price", "9.99", "quantity", 1,
                    "categoryId", "15032", "categoryName", "Cell Phones & Accessories:Cell Phones & Smartphones"));
            long start = System.nanoTime();
            assertEquals(200, PackagedPeers.deliver(service, next.get("notification").asText()));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> product(sku) != null);
            warm.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("ItemListed -> product in real Odoo %s, warm, one after another: %s ms (median %d ms)%n", DATABASE, warm,
                warm.stream().sorted().toList().get(warm.size() / 2));
    }

    @Test
    @Order(3)
    void aRevisionChangesThePrice() throws Exception {
        JsonNode revised = peers.revise(simpleItemId, Map.of("price", "24.50"));
        assertEquals(200, PackagedPeers.deliver(service, revised.get("notification").asText()));
        await().atMost(Duration.ofSeconds(15)).until(() -> product(simpleSku).path("list_price").asDouble() == 24.50);
    }

    @Test
    @Order(4)
    void aMultiVariationListingBecomesOneTemplateWithItsVariants() throws Exception {
        String prefix = "REALV-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        List<Map<String, Object>> variations = new ArrayList<>();
        for (String size : List.of("S", "M")) {
            for (String colour : List.of("Red", "Blue")) {
                variations.add(Map.of("sku", prefix + "-" + size + "-" + colour, "price", size.equals("S") ? "10.00" : "12.50",
                        "quantity", 3, "specifics", Map.of("Size", size, "Colour", colour)));
            }
        }
        JsonNode listed = peers.list(Map.of("title", "Real shirt " + prefix, "variations", variations));
        assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> variations.stream().allMatch(v -> product((String) v.get("sku")) != null
                && product((String) v.get("sku")).path("qty_available").asDouble() == 3.0));
        JsonNode small = product(prefix + "-S-Red");
        JsonNode medium = product(prefix + "-M-Blue");
        assertEquals(small.path("product_tmpl_id").path(0).asLong(), medium.path("product_tmpl_id").path(0).asLong());
        shirtTemplate = small.path("product_tmpl_id").path(0).asLong();
        assertEquals(10.00, small.path("lst_price").asDouble(), 0.001, small.toString());
        assertEquals(12.50, medium.path("lst_price").asDouble(), 0.001, medium.toString());
        assertEquals(3.0, medium.path("qty_available").asDouble(), 0.001, medium.toString());
    }

    @Test
    @Order(5)
    void aPaidOrderBecomesAConfirmedSaleOrderWithLinesShippingAndDeliveryAddress() throws Exception {
        paidOrderBuyer = "realbuyer" + UUID.randomUUID().toString().substring(0, 6);
        orderId = peers.createOrder(Map.of("buyer", paidOrderBuyer,
                "fullName", "Ada Real", "street", "2 Real Road", "city", "Austin", "postalCode", "73301", "deliveryCost", "4.00",
                "lines", List.of(Map.of("sku", simpleSku, "quantity", 2, "price", "24.50"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrder(orderId) != null && "sale".equals(saleOrder(orderId).path("state").asText()));
        JsonNode order = saleOrder(orderId);
        assertNotEquals(order.path("partner_id").path(0).asLong(), order.path("partner_shipping_id").path(0).asLong(), order.toString());
        JsonNode shipTo = read("res.partner", order.path("partner_shipping_id").path(0).asLong(), List.of("street", "city", "type", "parent_id"));
        assertEquals("2 Real Road", shipTo.path("street").asText());
        assertEquals("delivery", shipTo.path("type").asText());
        List<JsonNode> lines = searchRead("sale.order.line", List.of(List.of("order_id", "=", order.path("id").asLong())),
                List.of("product_uom_qty", "price_unit", "name"));
        assertEquals(2, lines.size(), lines.toString());
        String saleOrderName = read("sale.order", order.path("id").asLong(), List.of("name")).path("name").asText();
        assertTrue(saleOrderName.startsWith("S"), saleOrderName);
        // 2 x 24.50 + 4.00 shipping: what the buyer paid, no Odoo default tax added (docs/decisions.md)
        assertEquals(53.0, order.path("amount_total").asDouble(), 0.01, order.toString());
        assertTrue(lines.stream().anyMatch(l -> l.path("name").asText().equals("eBay shipping")), lines.toString());
    }

    @Test
    @Order(6)
    void aRepeatBuyerKeepsOnePartner() throws Exception {
        String buyer = "repeat" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> request = Map.of("buyer", buyer, "fullName", "Bo Repeat", "lines",
                List.of(Map.of("sku", simpleSku, "quantity", 1, "price", "24.50")));
        String first = peers.createOrder(request);
        String second = peers.createOrder(request);
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrder(first) != null && saleOrder(second) != null);
        assertEquals(saleOrder(first).path("partner_id").path(0).asLong(), saleOrder(second).path("partner_id").path(0).asLong());
    }

    @Test
    @Order(7)
    void aCancelledConfirmedOrderIsCancelled() throws Exception {
        String cancelled = peers.createOrder(Map.of("lines", List.of(Map.of("sku", simpleSku, "quantity", 1, "price", "24.50"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrder(cancelled) != null && "sale".equals(saleOrder(cancelled).path("state").asText()));
        peers.updateOrder(cancelled, Map.of("cancelState", "CANCELED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancel".equals(saleOrder(cancelled).path("state").asText()));
    }

    @Test
    @Order(8)
    void aDoneDeliverysTrackingReachesEbayOnce() throws Exception {
        long saleOrderId = saleOrder(orderId).path("id").asLong();
        List<JsonNode> pickings = searchRead("stock.picking", List.of(List.of("sale_id", "=", saleOrderId)), List.of("state", "move_ids"));
        assertEquals(1, pickings.size(), pickings.toString());
        long picking = pickings.get(0).path("id").asLong();
        // as a warehouse person does: the tracking number, then Validate
        String tracking = "1Z" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "stock.picking", "write", List.of(List.of(picking),
                Map.of("carrier_tracking_ref", tracking)), Map.of()));
        JsonNode validated = odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "stock.picking", "button_validate",
                List.of(List.of(picking)), Map.of("context", Map.of("skip_backorder", true, "skip_sms", true))));
        assertEquals("done", read("stock.picking", picking, List.of("state")).path("state").asText(), String.valueOf(validated));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.fulfilmentsWithTracking(tracking) == 1);
        // a few more polls change nothing
        long polls = pollRuns("ebay-fulfilment");
        await().atMost(Duration.ofSeconds(30)).until(() -> pollRuns("ebay-fulfilment") >= polls + 2);
        assertEquals(1, peers.fulfilmentsWithTracking(tracking));
    }

    @Test
    @Order(9)
    void aClosedListingKeepsItsProductWithANote() throws Exception {
        JsonNode ended = peers.end(simpleItemId);
        assertEquals(200, PackagedPeers.deliver(service, ended.get("notification").asText()));
        long template = product(simpleSku).path("product_tmpl_id").path(0).asLong();
        await().atMost(Duration.ofSeconds(15)).until(() -> !searchRead("mail.message", List.of(List.of("model", "=", "product.template"),
                List.of("res_id", "=", template), List.of("body", "ilike", "ended")), List.of("id")).isEmpty());
        assertTrue(product(simpleSku) != null, "the product stays");
    }

    @Test
    @Order(10)
    void theCatalogFeedPlansAFullSyncOfEveryChannel() throws Exception {
        var started = service.send(HttpRequest.newBuilder(URI.create(service.url("/admin/sync/cartona?dryRun=true")))
                .header("Authorization", PackagedPeers.adminAuthorization()).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, started.statusCode(), started.body());
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(admin("/admin/sync/cartona").path("state").asText()));
        JsonNode plan = admin("/admin/sync/cartona").path("plan");
        assertTrue(plan.toString().contains("\"" + simpleSku + "\""), plan.toPrettyString());
    }

    @Test
    @Order(11)
    void anAccountDeletionErasesTheBuyerInOdoo() throws Exception {
        String buyerRef = "ebay_buyer_" + paidOrderBuyer;
        assertEquals(1, searchRead("res.partner", List.of(List.of("ref", "=", buyerRef)), List.of("id")).size());
        JsonNode signed = peers.signCommerceNotification("MARKETPLACE_ACCOUNT_DELETION",
                Map.of("username", paidOrderBuyer, "userId", "uid-" + paidOrderBuyer, "eiasToken", "nY+sHZ2PrBmdj6wVnY+sEZ2" + paidOrderBuyer));
        var pushed = service.send(HttpRequest.newBuilder(URI.create(service.url("/webhooks/ebay/events")))
                .header("Content-Type", "application/json").header("X-EBAY-SIGNATURE", signed.get("signature").asText())
                .POST(HttpRequest.BodyPublishers.ofString(signed.get("body").asText())));
        assertEquals(204, pushed.statusCode(), pushed.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> searchRead("res.partner", List.of(List.of("ref", "=", buyerRef)), List.of("id")).isEmpty());
        assertEquals(List.of(), searchRead("res.partner", List.of(List.of("street", "=", "2 Real Road")), List.of("id")));
        assertEquals("Erased eBay buyer", read("res.partner", saleOrder(orderId).path("partner_id").path(0).asLong(), List.of("name"))
                .path("name").asText());
    }

    /**
     * The call shapes real Odoo refuses, recorded so that the simulated Odoo is held, in CI, to refusing
     * them alike: records by keyword alone to {@code create} and {@code vals=} to a {@code write} whose
     * override names its parameter otherwise (both refused by 16-18's JSON-RPC, the first after its
     * insert), a missing record, an unknown field, an unknown model; over JSON-2 too where it is served.
     */
    @Test
    @Order(12)
    void theListingsEbayCategoriesBecomeOdoosCategoryTree() throws Exception {
        var imported = service.send(HttpRequest.newBuilder(URI.create(service.url("/admin/sync/ebay-categories?force=true")))
                .header("Authorization", PackagedPeers.adminAuthorization()).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, imported.statusCode(), imported.body());
        List<JsonNode> links = searchRead("ir.model.data", List.of(List.of("module", "=", "marketbridge"),
                List.of("model", "=", "product.category")), List.of("name", "res_id"));
        assertTrue(links.stream().anyMatch(link -> link.path("name").asText().equals("ebay_category_15032")), links.toString());
        long phones = links.stream().filter(link -> link.path("name").asText().equals("ebay_category_15032")).findFirst().orElseThrow()
                .path("res_id").asLong();
        assertTrue(read("product.category", phones, List.of("complete_name")).path("complete_name").asText()
                .endsWith("eBay / Cell Phones & Accessories / Cell Phones & Smartphones"));
    }

    @Test
    @Order(13)
    void aListingWithANewAttributeMakesItAndARevisionAddsItsNewValue() throws Exception {
        String prefix = "REALM-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String material = "Material " + prefix; // an attribute no Odoo has yet
        List<Map<String, Object>> variations = new ArrayList<>();
        for (String value : List.of("Cotton", "Linen")) {
            variations.add(Map.of("sku", prefix + "-" + value, "price", "15.00", "quantity", 2, "specifics", Map.of(material, value)));
        }
        JsonNode listed = peers.list(Map.of("title", "Real scarf " + prefix, "variations", variations));
        assertEquals(200, PackagedPeers.deliver(service, listed.get("notification").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> product(prefix + "-Linen") != null);
        variations.add(Map.of("sku", prefix + "-Wool", "price", "15.00", "quantity", 4, "specifics", Map.of(material, "Wool")));
        JsonNode revised = peers.revise(listed.get("itemId").asText(), Map.of("variations", variations));
        assertEquals(200, PackagedPeers.deliver(service, revised.get("notification").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> product(prefix + "-Wool") != null
                && product(prefix + "-Wool").path("qty_available").asDouble() == 4.0);
        assertEquals(product(prefix + "-Cotton").path("product_tmpl_id").path(0).asLong(),
                product(prefix + "-Wool").path("product_tmpl_id").path(0).asLong(), "the new value joins the template");
    }

    @Test
    @Order(14)
    void theShapesRealOdooRefusesAreRecorded() throws Exception {
        int major = Integer.parseInt(transcripts.getFileName().toString());
        String name = "Refused " + UUID.randomUUID();
        String createByKeyword = odooRefusal("product.category", "create", List.of(), Map.of("vals_list", List.of(Map.of("name", name))));
        long value = searchRead("product.template.attribute.value", List.of(List.of("product_tmpl_id", "=", shirtTemplate)), List.of("id"))
                .get(0).path("id").asLong();
        String writeByKeyword = odooRefusal("product.template.attribute.value", "write", List.of(List.of(value)),
                Map.of("vals", Map.of("price_extra", 0)));
        if (major < 19) {
            assertEquals("builtins.IndexError", createByKeyword);
            assertEquals(List.of(), searchRead("product.category", List.of(List.of("name", "=", name)), List.of("id")), "rolled back");
            assertEquals("builtins.TypeError", writeByKeyword);
        }
        // a confirmed order cancelled without disable_cancel_warning: 16-18 answer the cancel wizard and cancel nothing
        long partner = odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "res.partner", "create",
                List.of(List.of(Map.of("name", "Cancel wizard " + name))), Map.of())).path(0).asLong();
        long product = product(simpleSku).path("id").asLong();
        long order = odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "create", List.of(List.of(Map.of(
                "partner_id", partner, "order_line", List.of(List.of(0, 0, Map.of("product_id", product, "product_uom_qty", 1)))))),
                Map.of())).path(0).asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_confirm", List.of(List.of(order)), Map.of()));
        JsonNode wizard = odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_cancel", List.of(List.of(order)), Map.of()));
        String stateAfter = read("sale.order", order, List.of("state")).path("state").asText();
        if (major < 19) {
            assertTrue(wizard.isObject(), "the cancel wizard: " + wizard);
            assertEquals("sale", stateAfter);
        }
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_cancel", List.of(List.of(order)),
                Map.of("context", Map.of("disable_cancel_warning", true))));
        assertEquals("cancel", read("sale.order", order, List.of("state")).path("state").asText());

        odooRefusal("product.product", "read", List.of(List.of(2_000_000_000)), Map.of("fields", List.of("name"))); // 17: []
        assertNotEquals(null, odooRefusal("product.product", "search_read", List.of(List.of(List.of("no_such_field", "=", 1))),
                Map.of("fields", List.of("name"))));
        assertNotEquals(null, odooRefusal("no.such.model", "search_read", List.of(List.of()), Map.of("fields", List.of("name"))));
        if (API.equals("json2")) {
            for (var call : List.of(Map.of("model", "product.product", "method", "read",
                            "body", Map.of("ids", List.of(2_000_000_000), "fields", List.of("name"))),
                    Map.of("model", "product.product", "method", "search_read",
                            "body", Map.of("domain", List.of(List.of("no_such_field", "=", 1)), "fields", List.of("name"))),
                    Map.of("model", "no.such.model", "method", "search_read", "body", Map.of("domain", List.of(), "fields", List.of("name"))))) {
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(recorder.url() + "/json/2/" + call.get("model") + "/" + call.get("method")))
                        .header("Content-Type", "application/json").header("Authorization", "bearer " + KEY)
                        .header("X-Odoo-Database", DATABASE).header(OdooRecorder.ACTOR_HEADER, "test")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call.get("body")))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(refused.statusCode() >= 400 || call.get("method").equals("read"), // a missing id reads as []
                        call + " answered " + refused.statusCode() + " " + refused.body());
            }
        }
    }

    @Test
    @Order(15)
    void aCartonaOrderBecomesAQuotationForItsRetailerTaggedWithItsAccount() throws Exception {
        long product = product(simpleSku).path("id").asLong();
        String retailer = "R" + UUID.randomUUID().toString().substring(0, 6);
        cartonaOrder = peers.placeCartonaOrder(Map.of("retailer", Map.of("retailer_code", retailer, "retailer_name", "Real Market " + retailer,
                "retailer_number", "+201001234567", "retailer_address", "12 Tahrir St, Giza", "address_notes", "next to the pharmacy"),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 1, "selling_price", "22.00")),
                "delivery_day", "2026-12-20"));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(cartonaOrder).contains("synced"));
        JsonNode order = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + cartonaOrder)),
                List.of("state", "partner_id", "tag_ids", "commitment_date", "amount_total")).get(0);
        assertEquals("draft", order.path("state").asText());
        assertEquals(22.0, order.path("amount_total").asDouble(), 0.01, order.toString());
        assertTrue(order.path("commitment_date").asText().startsWith("2026-12-20"), order.toString());
        JsonNode partner = read("res.partner", order.path("partner_id").path(0).asLong(), List.of("name", "ref", "street2"));
        assertEquals("retailer_" + retailer, partner.path("ref").asText());
        assertEquals("next to the pharmacy", partner.path("street2").asText());
        assertEquals("Cartona main", read("crm.tag", order.path("tag_ids").path(0).asLong(), List.of("name")).path("name").asText());
    }

    @Test
    @Order(16)
    void aCartonaOrderConfirmedAndDeliveredInOdooIsDeliveredOnCartona() throws Exception {
        long saleOrder = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + cartonaOrder)), List.of("id"))
                .get(0).path("id").asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_confirm", List.of(List.of(saleOrder)), Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(cartonaOrder).contains("approved"));
        String writeDateBefore = read("sale.order", saleOrder, List.of("write_date")).path("write_date").asText();
        long picking = searchRead("stock.picking", List.of(List.of("sale_id", "=", saleOrder)), List.of("id")).get(0).path("id").asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "stock.picking", "button_validate", List.of(List.of(picking)),
                Map.of("context", Map.of("skip_backorder", true, "skip_sms", true))));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(cartonaOrder).contains("delivered"));
        System.out.printf("Validating a delivery %s the sale order's write_date (%s -> %s)%n", writeDateBefore.equals(
                read("sale.order", saleOrder, List.of("write_date")).path("write_date").asText()) ? "keeps" : "moves", writeDateBefore,
                read("sale.order", saleOrder, List.of("write_date")).path("write_date").asText());
        List<String> sent = peers.cartonaStatuses(cartonaOrder).stream().filter(s -> !s.equals("synced")).toList();
        assertEquals(List.of("approved", "assigned_to_salesman", "delivered"), sent);
    }

    @Test
    @Order(17)
    void aRetailersCancellationCancelsTheQuotationAndAReturnIsAToDoOnTheOrder() throws Exception {
        long product = product(simpleSku).path("id").asLong();
        Map<String, Object> request = Map.of("retailer", Map.of("retailer_code", "R" + UUID.randomUUID().toString().substring(0, 6)),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 1, "selling_price", "22.00")));
        String cancelled = peers.placeCartonaOrder(request);
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(cartonaOrder).contains("synced")
                && peers.cartonaStatuses(cancelled).contains("synced"));
        peers.changeCartonaOrder(cancelled, "cancelled_by_retailer");
        peers.changeCartonaOrder(cartonaOrder, "returned");
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancel".equals(searchRead("sale.order",
                List.of(List.of("client_order_ref", "=", "cartona:" + cancelled)), List.of("state")).get(0).path("state").asText()));
        long returned = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + cartonaOrder)), List.of("id"))
                .get(0).path("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> !activities("sale.order", returned).isEmpty());
        assertEquals("Returned on Cartona: create the return on its delivery", activities("sale.order", returned).get(0).path("summary").asText());
    }

    @Test
    @Order(18)
    void aRetailersEditOnCartonaChangesTheQuotationsLines() throws Exception {
        long product = product(simpleSku).path("id").asLong();
        String edited = peers.placeCartonaOrder(Map.of("retailer", Map.of("retailer_code", "R" + UUID.randomUUID().toString().substring(0, 6)),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 1, "selling_price", "22.00"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(edited).contains("synced"));
        long saleOrder = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + edited)), List.of("id"))
                .get(0).path("id").asLong();
        peers.editCartonaOrder(edited, List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 3, "selling_price", "21.00")));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> lines = searchRead("sale.order.line", List.of(List.of("order_id", "=", saleOrder)), List.of("product_uom_qty", "price_unit"));
            return lines.size() == 1 && lines.get(0).path("product_uom_qty").asDouble() == 3.0 && lines.get(0).path("price_unit").asDouble() == 21.0;
        });
        assertEquals(63.0, read("sale.order", saleOrder, List.of("amount_total")).path("amount_total").asDouble(), 0.01);
    }

    @Test
    @Order(19)
    void aQuantityAPersonChangesInOdooReachesCartona() throws Exception {
        long product = product(simpleSku).path("id").asLong();
        String changed = peers.placeCartonaOrder(Map.of("retailer", Map.of("retailer_code", "R" + UUID.randomUUID().toString().substring(0, 6)),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 3, "selling_price", "22.00"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(changed).contains("synced"));
        long saleOrder = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + changed)), List.of("id"))
                .get(0).path("id").asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_confirm", List.of(List.of(saleOrder)), Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(changed).contains("approved"));
        long line = searchRead("sale.order.line", List.of(List.of("order_id", "=", saleOrder)), List.of("id")).get(0).path("id").asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order.line", "write", List.of(List.of(line),
                Map.of("product_uom_qty", 2)), Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaAmount(changed, String.valueOf(product)) == 2);
    }

    @Test
    @Order(20)
    void anOrderNeedingAPersonsDecisionIsAToDoInOdoo() throws Exception {
        // a product Odoo does not know: a To-Do on the retailer, who exists by then
        String retailer = "R" + UUID.randomUUID().toString().substring(0, 6);
        long unknownProduct = 990_000_000L + (long) (Math.random() * 1_000_000);
        String unknown = peers.placeCartonaOrder(Map.of("retailer", Map.of("retailer_code", retailer),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(unknownProduct), "amount", 1, "selling_price", "5.00"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> !searchRead("res.partner", List.of(List.of("ref", "=", "retailer_" + retailer)),
                List.of("id")).isEmpty() && !activities("res.partner", searchRead("res.partner", List.of(List.of("ref", "=", "retailer_"
                        + retailer)), List.of("id")).get(0).path("id").asLong()).isEmpty());
        long partner = searchRead("res.partner", List.of(List.of("ref", "=", "retailer_" + retailer)), List.of("id")).get(0).path("id").asLong();
        assertEquals("Create Odoo product " + unknownProduct + " for Cartona order " + unknown,
                activities("res.partner", partner).get(0).path("summary").asText());

        // a cancel Odoo refuses (the order is locked): a To-Do on the sale order
        long product = product(simpleSku).path("id").asLong();
        String locked = peers.placeCartonaOrder(Map.of("retailer", Map.of("retailer_code", "R" + UUID.randomUUID().toString().substring(0, 6)),
                "order_details", List.of(Map.of("internal_product_id", String.valueOf(product), "amount", 1, "selling_price", "22.00"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.cartonaStatuses(locked).contains("synced"));
        long saleOrder = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + locked)), List.of("id"))
                .get(0).path("id").asLong();
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_confirm", List.of(List.of(saleOrder)), Map.of()));
        odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, "sale.order", "action_lock", List.of(List.of(saleOrder)), Map.of()));
        peers.changeCartonaOrder(locked, "cancelled_by_retailer");
        await().atMost(Duration.ofSeconds(30)).until(() -> !activities("sale.order", saleOrder).isEmpty());
        assertEquals("Cancelled on Cartona: cancel it here or agree otherwise", activities("sale.order", saleOrder).get(0).path("summary").asText());
        assertEquals("sale", read("sale.order", saleOrder, List.of("state")).path("state").asText());
    }

    private static List<JsonNode> activities(String model, long id) {
        return searchRead("mail.activity", List.of(List.of("res_model", "=", model), List.of("res_id", "=", id)), List.of("summary", "note"));
    }

    /** Makes a call as the test, through the recorder; the name of the error real Odoo answered, or null if it accepted. */
    private static String odooRefusal(String model, String method, List<?> args, Map<String, Object> kwargs) throws Exception {
        try {
            odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, model, method, args, kwargs));
            return null;
        } catch (OdooRefused refused) {
            return refused.name;
        }
    }

    // --- reading the real Odoo directly, not through the service --------------------------------

    private static JsonNode product(String sku) {
        List<JsonNode> found = searchRead("product.product", List.of(List.of("default_code", "=", sku)),
                List.of("list_price", "lst_price", "qty_available", "categ_id", "product_tmpl_id"));
        return found.isEmpty() ? null : found.get(0);
    }

    private static JsonNode saleOrder(String ebayOrderId) {
        List<JsonNode> found = searchRead("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + ebayOrderId)),
                List.of("state", "partner_id", "partner_shipping_id", "amount_total"));
        return found.isEmpty() ? null : found.get(0);
    }

    private static JsonNode read(String model, long id, List<String> fields) {
        return searchRead(model, List.of(List.of("id", "=", id)), fields).get(0);
    }

    private static List<JsonNode> searchRead(String model, List<?> domain, List<String> fields) {
        try {
            JsonNode rows = odooRpc("object", "execute_kw", List.of(DATABASE, uid(), KEY, model, "search_read", List.of(domain),
                    Map.of("fields", fields, "context", Map.of("active_test", false))));
            List<JsonNode> list = new ArrayList<>();
            rows.forEach(list::add);
            return list;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configured user's id, asked of Odoo directly (not recorded): admin is 2, a bot user of its own another. */
    private static long uid() throws IOException, InterruptedException {
        if (uid == null) {
            uid = odooRpcAt(URL, "common", "login", List.of(DATABASE, USER, KEY)).asLong();
        }
        return uid;
    }

    private static JsonNode odooRpc(String service, String method, List<Object> args) throws IOException, InterruptedException {
        // through the recorder once it runs, marked as the test's own: replayed too, never taken for the service's
        return odooRpcAt(recorder == null ? URL : recorder.url(), service, method, args);
    }

    private static JsonNode odooRpcAt(String via, String service, String method, List<Object> args) throws IOException, InterruptedException {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1,
                "params", Map.of("service", service, "method", method, "args", args));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(via + "/jsonrpc"))
                .header("Content-Type", "application/json").header(OdooRecorder.ACTOR_HEADER, "test").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(response.body());
        if (reply.has("error")) {
            JsonNode data = reply.get("error").path("data");
            throw new OdooRefused(data.path("name").asText(), data.path("message").asText(reply.toString()));
        }
        return reply.path("result");
    }

    private static final class OdooRefused extends IllegalStateException {
        final String name;

        OdooRefused(String name, String message) {
            super(name + ": " + message);
            this.name = name;
        }
    }

    private static long unfinishedEvents() throws Exception {
        long unfinished = 0;
        for (JsonNode type : admin("/admin/status").path("events")) {
            unfinished += type.path("byStatus").path("PENDING").asLong() + type.path("byStatus").path("PROCESSING").asLong();
        }
        return unfinished;
    }

    private static long pollRuns(String poll) throws Exception {
        return admin("/admin/status").path("polls").path(poll).path("runsLastHour").asLong();
    }

    private static JsonNode admin(String path) throws Exception {
        var response = service.send(HttpRequest.newBuilder(URI.create(service.url(path))).header("Authorization", PackagedPeers.adminAuthorization()));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}

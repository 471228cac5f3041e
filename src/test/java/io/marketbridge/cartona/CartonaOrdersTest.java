package io.marketbridge.cartona;

import io.marketbridge.odoo.OdooOrderProgress;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.clearOdooFaults;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCall;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.odooFault;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cartona orders through the running service, against the simulated Cartona and Odoo: pulled or pushed, each becomes
 * one sale order for its retailer, Cartona hears {@code synced} once and only after Odoo has the order, the retailer's
 * cancellation and return reach Odoo, and each supplier account keeps to its own token and tag.
 */
@QuarkusTest
class CartonaOrdersTest {

    private static final String MAIN_SECRET = "sandbox-cartona-webhook-main";
    private static final String NORTH_SECRET = "sandbox-cartona-webhook-north";
    private static final Duration FLOW = Duration.ofSeconds(20);

    @Inject
    CartonaOrderPoller poller;
    @Inject
    MeterRegistry metrics;
    @Inject
    OdooOrderProgress odooProgress;

    /** The statuses Cartona took for the order, in order, the pull's acknowledgement left out. */
    private static List<String> statusesSent(String hashedId) {
        return onCartona(hashedId).getList("status_history.status", String.class).stream().filter(s -> !s.equals("synced")).toList();
    }

    /** The notes on the sale order's chatter, oldest first, as text. */
    private static List<String> notes(long saleOrder) {
        return odoo("mail.message", List.of(List.of("model", "=", "sale.order"), List.of("res_id", "=", saleOrder)), List.of("body")).stream()
                .sorted(java.util.Comparator.comparing(m -> ((Number) m.get("id")).longValue()))
                .map(m -> String.valueOf(m.get("body")).replaceAll("<[^>]+>", "")).toList();
    }

    /** A pulled order, in Odoo and acknowledged; its sale order's id. */
    private long imported(String hashedId) throws Exception {
        poller.poll();
        await().atMost(FLOW).until(() -> statusesSent(hashedId, "synced") == 1);
        return ((Number) saleOrders(hashedId).get(0).get("id")).longValue();
    }

    /** A storable product in Odoo; its variant id is what Cartona knows it by. */
    private static long product(String name) {
        String sku = newSku();
        odooCreate("product.template", Map.of("name", name, "default_code", sku, "type", "product", "list_price", 20.0));
        return ((Number) productsBySku(sku).get(0).get("id")).longValue();
    }

    private static JsonPath place(Map<String, Object> order) {
        return given().contentType(ContentType.JSON).body(order).post("/sandbox/cartona/_orders").then().statusCode(201).extract().jsonPath();
    }

    private static Map<String, Object> order(String retailerCode, long... products) {
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (long product : products) {
            lines.add(Map.of("internal_product_id", String.valueOf(product), "amount", 3, "selling_price", "12.50", "product_name", "Tea 100g"));
        }
        return Map.of("retailer", Map.of("retailer_code", retailerCode, "retailer_name", "Market " + retailerCode,
                "retailer_number", "+20100" + retailerCode.hashCode(), "retailer_address", "12 Tahrir St, Giza", "address_notes",
                "next to the pharmacy"), "order_details", lines, "delivery_day", "2026-12-09");
    }

    private static JsonPath onCartona(String hashedId) {
        return given().get("/sandbox/cartona/_orders/" + hashedId).then().statusCode(200).extract().jsonPath();
    }

    private static long statusesSent(String hashedId, String status) {
        return onCartona(hashedId).getList("status_history.status", String.class).stream().filter(status::equals).count();
    }

    private static List<Map<String, Object>> saleOrders(String hashedId) {
        return odoo("sale.order", List.of(List.of("client_order_ref", "=", "cartona:" + hashedId)),
                List.of("state", "partner_id", "order_line", "commitment_date", "tag_ids", "origin", "amount_total"));
    }

    /** A many2one as search_read gives it, {@code [id, "name"]}: its id. */
    private static long many2one(Object value) {
        return ((Number) ((List<?>) value).get(0)).longValue();
    }

    private static Response webhook(String secret, Object body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (secret != null) {
            request = request.header("AuthorizationToken", secret);
        }
        return request.post("/webhooks/cartona/orders");
    }

    private static String tagName(Map<String, Object> saleOrder) {
        List<?> tags = (List<?>) saleOrder.get("tag_ids");
        assertEquals(1, tags.size(), "one tag: the supplier account's");
        return (String) odoo("crm.tag", List.of(List.of("id", "=", tags.get(0))), List.of("name")).get(0).get("name");
    }

    private double cartonaOrderFailures() {
        var counter = metrics.find("marketbridge.events.failed").tags("type", CartonaOrders.TYPE, "class", "transient").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPulledOrderBecomesOneSaleOrderForItsRetailerAndCartonaHearsSyncedOnceOdooHasIt() throws Exception {
        long tea = product("Tea 100g");
        long sugar = product("Sugar 1kg");
        String hashedId = place(order("R-" + newSku(), tea, sugar)).getString("hashed_id");

        poller.poll();

        await().atMost(FLOW).until(() -> statusesSent(hashedId, "synced") == 1);
        List<Map<String, Object>> orders = saleOrders(hashedId);
        assertEquals(1, orders.size());
        Map<String, Object> saleOrder = orders.get(0);
        assertEquals("draft", saleOrder.get("state"), "a pending Cartona order waits in Odoo as a quotation for the supplier to approve");
        assertEquals("Cartona " + hashedId, saleOrder.get("origin"));
        assertEquals("Cartona main", tagName(saleOrder));
        assertTrue(String.valueOf(saleOrder.get("commitment_date")).startsWith("2026-12-09"), "the delivery day: " + saleOrder);
        assertEquals(75.0, ((Number) saleOrder.get("amount_total")).doubleValue(), 0.001, "2 lines of 3 x 12.50, no tax added");
        List<Map<String, Object>> lines = odoo("sale.order.line", List.of(List.of("order_id", "=", saleOrder.get("id"))),
                List.of("product_id", "product_uom_qty", "price_unit"));
        assertEquals(List.of(tea, sugar), lines.stream().map(l -> many2one(l.get("product_id"))).sorted().toList());
        Map<String, Object> retailer = odoo("res.partner", List.of(List.of("id", "=", many2one(saleOrder.get("partner_id")))),
                List.of("name", "ref", "phone", "street", "street2")).get(0);
        String code = onCartona(hashedId).getString("retailer.retailer_code");
        assertEquals("retailer_" + code, retailer.get("ref"));
        assertEquals("Market " + code, retailer.get("name"));
        assertEquals("next to the pharmacy", retailer.get("street2"));
        assertFalse(odoo("ir.model.data", List.of(List.of("model", "=", "res.partner"), List.of("res_id", "=", many2one(saleOrder.get("partner_id")))),
                List.of("name")).isEmpty(), "the retailer's partner has its external id");

        poller.poll(); // Cartona no longer offers it; the overlap may read it again: absorbed
        awaitIdle();
        assertEquals(1, saleOrders(hashedId).size());
        assertEquals(1, statusesSent(hashedId, "synced"));
    }

    @Test
    void aWebhookAndAPullDeliveringTheSameOrderAtOnceMakeOneSaleOrder() throws Exception {
        long tea = product("Tea 100g");
        JsonPath placed = place(order("R-" + newSku(), tea));
        String hashedId = placed.getString("hashed_id");
        Map<String, Object> asPushed = placed.getMap("$");
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Integer> pushed = CompletableFuture.supplyAsync(() -> {
            awaitStart(start);
            return webhook(MAIN_SECRET, asPushed).statusCode();
        });
        CompletableFuture<Void> pulled = CompletableFuture.runAsync(() -> {
            awaitStart(start);
            try {
                poller.poll();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        start.countDown();
        assertEquals(202, pushed.get());
        pulled.get();

        await().atMost(FLOW).until(() -> statusesSent(hashedId, "synced") == 1);
        awaitIdle();
        assertEquals(1, saleOrders(hashedId).size());
        assertEquals(1, statusesSent(hashedId, "synced"));
    }

    private static void awaitStart(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWebhookWithoutTheAccountsSecretOrWithABadOrderIsRefusedAndNothingIsStored() {
        long tea = product("Tea 100g");
        Map<String, Object> order = new java.util.HashMap<>(place(order("R-" + newSku(), tea)).getMap("$"));
        String hashedId = (String) order.get("hashed_id");

        webhook(null, order).then().statusCode(401).body("error", containsString("webhook secret"));
        webhook("sandbox-cartona-token", order).then().statusCode(401); // the API token is not the webhook secret
        given().contentType(ContentType.JSON).header("AuthorizationToken", MAIN_SECRET).body("{\"hashed_id\":").post("/webhooks/cartona/orders")
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        order.remove("retailer");
        webhook(MAIN_SECRET, List.of(order)).then().statusCode(400).body("error", containsString("retailer.retailer_code is required"));
        webhook(MAIN_SECRET, Map.of("orders", List.of())).then().statusCode(400);

        awaitIdle();
        assertTrue(saleOrders(hashedId).isEmpty());
        assertEquals(0, statusesSent(hashedId, "synced"));
    }

    @Test
    void eachSupplierAccountsOrdersAreTaggedApartAndAcknowledgedWithItsOwnToken() {
        long tea = product("Tea 100g");
        Map<String, Object> order = new java.util.HashMap<>(order("R-" + newSku(), tea));
        order.put("supplier_code", "SUP-NORTH");
        JsonPath placed = place(order);
        String hashedId = placed.getString("hashed_id");

        webhook(NORTH_SECRET, placed.getMap("$")).then().statusCode(202);

        // the simulated Cartona takes the north order's status only with the north account's token
        await().atMost(FLOW).until(() -> statusesSent(hashedId, "synced") == 1);
        assertEquals("Cartona north", tagName(saleOrders(hashedId).get(0)));
    }

    @Test
    void whileOdooIsDownNoSyncedIsSentAndTheOrderIsWrittenOnceWhenOdooIsBack() throws Exception {
        long tea = product("Tea 100g");
        String hashedId = place(order("R-" + newSku(), tea)).getString("hashed_id");
        double failuresBefore = cartonaOrderFailures();
        odooFault(Map.of("down", true));
        try {
            poller.poll();
            await().atMost(FLOW).until(() -> cartonaOrderFailures() >= failuresBefore + 2);
            assertEquals(0, statusesSent(hashedId, "synced"), "Cartona is not told while Odoo does not have the order");
            poller.poll(); // still offered by Cartona: a duplicate in the inbox
        } finally {
            clearOdooFaults();
        }

        await().atMost(FLOW).until(() -> statusesSent(hashedId, "synced") == 1);
        awaitIdle();
        assertEquals(1, saleOrders(hashedId).size());
    }

    @Test
    void theRetailersCancellationCancelsTheSaleOrderAndAReturnIsAToDoOnIt() throws Exception {
        long tea = product("Tea 100g");
        String cancelled = place(order("R-" + newSku(), tea)).getString("hashed_id");
        String returned = place(order("R-" + newSku(), tea)).getString("hashed_id");
        poller.poll();
        await().atMost(FLOW).until(() -> statusesSent(cancelled, "synced") == 1 && statusesSent(returned, "synced") == 1);

        given().contentType(ContentType.JSON).body(Map.of("status", "cancelled_by_retailer")).post("/sandbox/cartona/_orders/" + cancelled + "/status")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("status", "returned")).post("/sandbox/cartona/_orders/" + returned + "/status")
                .then().statusCode(200);
        poller.poll();

        await().atMost(FLOW).until(() -> "cancel".equals(saleOrders(cancelled).get(0).get("state")));
        long returnedId = ((Number) saleOrders(returned).get(0).get("id")).longValue();
        await().atMost(FLOW).until(() -> notes(returnedId).contains("Cartona (account main) reports this order returned."));
        List<Map<String, Object>> toDo = activities("sale.order", returnedId);
        assertEquals(1, toDo.size(), "one To-Do for a person: " + toDo);
        assertEquals("Returned on Cartona: create the return on its delivery", toDo.get(0).get("summary"));
        long admin = ((Number) odoo("res.users", List.of(List.of("login", "=", "admin")), List.of("id")).get(0).get("id")).longValue();
        assertEquals(admin, many2one(toDo.get(0).get("user_id")), "assigned to marketbridge.odoo.decisions-user");
        assertTrue(String.valueOf(toDo.get(0).get("note")).contains("returned order " + returned), String.valueOf(toDo.get(0).get("note")));
        assertEquals("draft", saleOrders(returned).get(0).get("state"));
        assertEquals(List.of(), activities("sale.order", ((Number) saleOrders(cancelled).get(0).get("id")).longValue()),
                "a cancellation Odoo carried out needs no one");
    }

    /** The open To-Do activities on an Odoo record. */
    static List<Map<String, Object>> activities(String model, long id) {
        return odoo("mail.activity", List.of(List.of("res_model", "=", model), List.of("res_id", "=", id)), List.of("summary", "note", "user_id"));
    }

    @Test
    void anEditOnCartonaChangesTheQuotationsLinesButNotAConfirmedOrders() throws Exception {
        long tea = product("Tea 100g");
        long sugar = product("Sugar 1kg");
        String hashedId = place(order("R-" + newSku(), tea, sugar)).getString("hashed_id");
        long saleOrder = imported(hashedId);

        edit(hashedId, Map.of(tea, 5)); // 5 teas, no sugar
        poller.poll();
        await().atMost(FLOW).until(() -> lines(saleOrder).equals(List.of(tea + "x5.0@12.5")));

        odooCall("sale.order", "action_confirm", List.of(saleOrder));
        edit(hashedId, Map.of(tea, 2));
        poller.poll();
        awaitIdle();
        assertEquals(List.of(tea + "x5.0@12.5"), lines(saleOrder), "once confirmed, Odoo's lines are the truth");
    }

    @Test
    void quantitiesAPersonChangesInOdooReachCartonaOnceAndCartonasOwnEditIsNotSentBack() throws Exception {
        long tea = product("Tea 100g");
        long sugar = product("Sugar 1kg");
        String hashedId = place(order("R-" + newSku(), tea, sugar)).getString("hashed_id");
        long saleOrder = imported(hashedId);
        edit(hashedId, Map.of(tea, 4, sugar, 3)); // Cartona's edit: into the quotation, not back to Cartona
        poller.poll();
        await().atMost(FLOW).until(() -> lines(saleOrder).contains(tea + "x4.0@12.5"));
        odooProgress.poll("cartona");
        awaitIdle();
        assertEquals(List.of(), onCartona(hashedId).getList("details_history"));

        odooCall("sale.order", "action_confirm", List.of(saleOrder));
        for (Map<String, Object> line : odoo("sale.order.line", List.of(List.of("order_id", "=", saleOrder)), List.of("product_id"))) {
            long product = many2one(line.get("product_id"));
            io.marketbridge.testsupport.Sandbox.odooWrite("sale.order.line", List.of(((Number) line.get("id")).longValue()),
                    Map.of("product_uom_qty", product == tea ? 2 : 0)); // a person in Odoo: 2 teas, no sugar
        }
        odooProgress.poll("cartona");

        await().atMost(FLOW).until(() -> onCartona(hashedId).getList("details_history").size() == 1);
        assertEquals(2, onCartona(hashedId).getInt("order_details.find { it.internal_product_id == '" + tea + "' }.amount"));
        assertEquals(0, onCartona(hashedId).getInt("order_details.find { it.internal_product_id == '" + sugar + "' }.amount"));
        assertEquals(true, onCartona(hashedId).getBoolean("details_history[0].find { it.internal_product_id == '" + sugar + "' }.cancelled"));
        odooProgress.poll("cartona"); // read again: nothing more is said
        awaitIdle();
        assertEquals(1, onCartona(hashedId).getList("details_history").size());
        assertTrue(notes(saleOrder).stream().anyMatch(note -> note.contains("quantities") && note.contains(tea + " → 2")
                && note.contains(sugar + " → cancelled")), "what Cartona was told, noted in Odoo: " + notes(saleOrder));
    }

    private static void edit(String hashedId, Map<Long, Integer> amounts) {
        List<Map<String, Object>> details = amounts.entrySet().stream().map(e -> Map.<String, Object>of("internal_product_id",
                String.valueOf(e.getKey()), "amount", e.getValue(), "selling_price", "12.50")).toList();
        given().contentType(ContentType.JSON).body(Map.of("order_details", details)).post("/sandbox/cartona/_orders/" + hashedId + "/details")
                .then().statusCode(200);
    }

    private static List<String> lines(long saleOrder) {
        return odoo("sale.order.line", List.of(List.of("order_id", "=", saleOrder)), List.of("product_id", "product_uom_qty", "price_unit"))
                .stream().map(l -> many2one(l.get("product_id")) + "x" + l.get("product_uom_qty") + "@" + l.get("price_unit")).sorted().toList();
    }

    @Test
    void anOrderForAProductOdooDoesNotKnowWaitsAsADeadLetterAndCartonaIsNotTold() throws Exception {
        long unknown = 990_000_000L + (long) (Math.random() * 1_000_000);
        String hashedId = place(order("R-" + newSku(), unknown)).getString("hashed_id");
        poller.poll();

        await().atMost(FLOW).until(() -> admin("/dead-letters").getList("reason", String.class).stream()
                .anyMatch(r -> r.contains("Odoo product " + unknown)));
        assertTrue(saleOrders(hashedId).isEmpty());
        assertEquals(0, statusesSent(hashedId, "synced"));
        long letter = admin("/dead-letters").getList("$", Map.class).stream()
                .filter(l -> String.valueOf(l.get("reason")).contains("Odoo product " + unknown)).mapToLong(l -> ((Number) l.get("id")).longValue())
                .findFirst().orElseThrow();
        long retailer = ((Number) odoo("res.partner", List.of(List.of("ref", "=", "retailer_" + onCartona(hashedId).getString("retailer.retailer_code"))),
                List.of("id")).get(0).get("id")).longValue();
        assertEquals(List.of("Create Odoo product " + unknown + " for Cartona order " + hashedId),
                activities("res.partner", retailer).stream().map(a -> a.get("summary")).toList(), "a To-Do on the retailer, for a person");
        adminPost("/dead-letters/" + letter + "/replay").then().statusCode(200); // still unknown: back in dead letters, still not told
        awaitIdle();
        assertEquals(0, statusesSent(hashedId, "synced"));
        assertEquals(1, activities("res.partner", retailer).size(), "the replay adds no second To-Do");
    }

    @Test
    void aRetailersCancellationOfALockedOrderIsADeadLetterAndAToDoUntilAPersonUnlocksIt() throws Exception {
        long tea = product("Tea 100g");
        String hashedId = place(order("R-" + newSku(), tea)).getString("hashed_id");
        long saleOrder = imported(hashedId);
        odooCall("sale.order", "action_confirm", List.of(saleOrder));
        io.marketbridge.testsupport.Sandbox.odooWrite("sale.order", List.of(saleOrder), Map.of("locked", true));
        given().contentType(ContentType.JSON).body(Map.of("status", "cancelled_by_retailer")).post("/sandbox/cartona/_orders/" + hashedId + "/status")
                .then().statusCode(200);
        poller.poll();

        await().atMost(FLOW).until(() -> deadLetterAbout("did not cancel sale order " + saleOrder) != null);
        assertEquals(List.of("Cancelled on Cartona: cancel it here or agree otherwise"),
                activities("sale.order", saleOrder).stream().map(a -> a.get("summary")).toList());
        assertEquals("sale", saleOrders(hashedId).get(0).get("state"));

        io.marketbridge.testsupport.Sandbox.odooWrite("sale.order", List.of(saleOrder), Map.of("locked", false)); // the person's decision
        adminPost("/dead-letters/" + deadLetterAbout("did not cancel sale order " + saleOrder) + "/replay").then().statusCode(200);
        await().atMost(FLOW).until(() -> "cancel".equals(saleOrders(hashedId).get(0).get("state")));
    }

    /** The id of the open dead letter whose reason holds the text, null when there is none. */
    private static Long deadLetterAbout(String text) {
        return admin("/dead-letters").getList("$", Map.class).stream().filter(l -> String.valueOf(l.get("reason")).contains(text))
                .map(l -> ((Number) l.get("id")).longValue()).findFirst().orElse(null);
    }

    @Test
    void aStatusCartonaRefusesIsADeadLetterAndAToDoOnTheSaleOrder() throws Exception {
        long tea = product("Tea 100g");
        String hashedId = place(order("R-" + newSku(), tea)).getString("hashed_id");
        long saleOrder = imported(hashedId);
        // the retailer cancels on Cartona, and before the next pull a person confirms the order in Odoo
        given().contentType(ContentType.JSON).body(Map.of("status", "cancelled_by_retailer")).post("/sandbox/cartona/_orders/" + hashedId + "/status")
                .then().statusCode(200);
        odooCall("sale.order", "action_confirm", List.of(saleOrder));
        odooProgress.poll("cartona");

        await().atMost(FLOW).until(() -> admin("/dead-letters").getList("reason", String.class).stream()
                .anyMatch(r -> r.contains("status approved of order " + hashedId) && r.contains("HTTP 422")));
        assertEquals(List.of("Cartona refused status approved of order " + hashedId),
                activities("sale.order", saleOrder).stream().map(a -> a.get("summary")).toList());
        assertTrue(String.valueOf(activities("sale.order", saleOrder).get(0).get("note")).contains("HTTP 422"));
    }

    @Test
    void asOdooConfirmsAndDeliversTheOrderCartonaHearsApprovedShippedAndDeliveredEachOnceInOrder() throws Exception {
        long tea = product("Tea 100g");
        String hashedId = place(order("R-" + newSku(), tea)).getString("hashed_id");
        long saleOrder = imported(hashedId);

        odooProgress.poll("cartona"); // a quotation: Cartona has it as pending already
        awaitIdle();
        assertEquals(List.of(), statusesSent(hashedId));

        odooCall("sale.order", "action_confirm", List.of(saleOrder));
        odooProgress.poll("cartona");
        await().atMost(FLOW).until(() -> statusesSent(hashedId).equals(List.of("approved")));

        List<Long> pickings = odoo("stock.picking", List.of(List.of("sale_id", "=", saleOrder)), List.of("state")).stream()
                .map(p -> ((Number) p.get("id")).longValue()).toList();
        odooCall("stock.picking", "button_validate", pickings);
        odooProgress.poll("cartona");
        await().atMost(FLOW).until(() -> statusesSent(hashedId).equals(List.of("approved", "assigned_to_salesman", "delivered")));

        odooProgress.poll("cartona"); // read again: nothing more is said
        awaitIdle();
        assertEquals(List.of("approved", "assigned_to_salesman", "delivered"), statusesSent(hashedId));
        assertEquals("delivered", onCartona(hashedId).getString("status"));
        assertEquals(List.of("Cartona (account main) reports this order pending.", "Cartona was told: approved.",
                "Cartona was told: assigned_to_salesman, delivered."), notes(saleOrder), "each status received or sent, noted in Odoo once");
    }

    @Test
    void anOrderCancelledInOdooIsCancelledBySupplierWithTheReasonButOneTheRetailerCancelledIsNotSentBack() throws Exception {
        long tea = product("Tea 100g");
        String bySupplier = place(order("R-" + newSku(), tea)).getString("hashed_id");
        String byRetailer = place(order("R-" + newSku(), tea)).getString("hashed_id");
        long saleOrder = imported(bySupplier);
        imported(byRetailer);

        given().contentType(ContentType.JSON).body(Map.of("status", "cancelled_by_retailer")).post("/sandbox/cartona/_orders/" + byRetailer + "/status")
                .then().statusCode(200);
        poller.poll();
        await().atMost(FLOW).until(() -> "cancel".equals(saleOrders(byRetailer).get(0).get("state")));
        odooCall("sale.order", "action_cancel", List.of(saleOrder));
        odooProgress.poll("cartona");

        await().atMost(FLOW).until(() -> statusesSent(bySupplier).equals(List.of("cancelled_by_supplier")));
        assertEquals("cannot_deliver_the_order", onCartona(bySupplier).getString("status_history.find { it.status == 'cancelled_by_supplier' }"
                + ".cancellation_reason"));
        awaitIdle();
        assertEquals(List.of(), statusesSent(byRetailer), "Cartona's own cancellation is not sent back to it");
    }
}

package io.marketbridge.ebay.orders;

import io.marketbridge.ebay.api.EbayQuotas;
import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.pipeline.PollHealth;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.clearEbayFaults;
import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.ebayFault;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.notification;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eBay orders reach Odoo as sale orders through getOrders polling: a bounded number of calls,
 * never a duplicate, unknown SKUs dead-lettered until the product exists, payment and
 * cancellation followed, and the buyer's data in Odoo never erased by what eBay stops sending.
 */
@QuarkusTest
@TestProfile(EbayOrdersTest.ConnectedSeller.class)
class EbayOrdersTest implements EbayContractChecked {

    /** A connected seller; the test runs each poll itself. */
    public static class ConnectedSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.orders.poll-delay", "1h",
                    "marketbridge.polling.slow-peer", "1s"); // the 10 s default, scaled down for the test
        }
    }

    @Inject
    EbayOrderPoller poller;
    @Inject
    EbayQuotas quotas;
    @Inject
    PollHealth pollHealth;

    private static List<String> createOrders(Map<String, Object> request) {
        return given().contentType("application/json").body(request).post("/sandbox/ebay/_orders").then().statusCode(200)
                .extract().jsonPath().getList("orderIds", String.class);
    }

    /** Every order the simulated eBay holds; all were created within this test run, inside the poll's window. */
    private static int ordersOnEbay() {
        return given().get("/sandbox/ebay/_orders/stats").then().extract().jsonPath().getInt("orders");
    }

    private static int getOrdersCalls() {
        return given().get("/sandbox/ebay/_orders/stats").then().extract().jsonPath().getInt("getOrdersCalls");
    }

    private static long odooCalls() {
        Map<String, Integer> calls = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().getMap("calls");
        return calls.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static List<Map<String, Object>> saleOrders(List<String> orderIds) {
        return odoo("sale.order", List.of(List.of("client_order_ref", "in", orderIds.stream().map(id -> "ebay:" + id).toList())),
                List.of("state", "amount_total", "partner_id", "origin"));
    }

    private static String product(String sku) {
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        return sku;
    }

    @Test
    void fourHundredFiftyOrdersCostThreeGetOrdersCallsAndAreNeverDuplicated() throws Exception {
        String a = product(newSku());
        String b = product(newSku());
        List<String> ids = createOrders(Map.of("count", 450, "deliveryCost", "4.50", "lines", List.of(
                Map.of("sku", a, "quantity", 2, "price", "10.00"), Map.of("sku", b, "quantity", 1, "price", "5.50"))));
        int callsBefore = getOrdersCalls();
        long odooBefore = odooCalls();

        poller.poll();

        // one call per page of 200: 3 for these 450 (plus pages for orders other tests left in the window)
        assertEquals((int) Math.ceil(ordersOnEbay() / 200.0), getOrdersCalls() - callsBefore);
        await().atMost(Duration.ofSeconds(60)).until(() -> saleOrders(ids).size() == 450);
        double odooCallsPerOrder = (odooCalls() - odooBefore) / 450.0;
        // 9 before delivery contacts; each new buyer's ship-to now also becomes its delivery contact (one create)
        assertTrue(odooCallsPerOrder <= 10, "Odoo calls per order: " + odooCallsPerOrder);
        Map<String, Object> one = saleOrders(ids.subList(0, 1)).get(0);
        assertEquals("sale", one.get("state"), "paid orders are confirmed");
        assertEquals(30.0, ((Number) one.get("amount_total")).doubleValue(), 0.001, "2 x 10.00 + 5.50 + 4.50 shipping");

        poller.poll(); // the overlap re-reads the same orders: absorbed, nothing doubled
        awaitIdle();
        assertEquals(450, saleOrders(ids).size());
    }

    @Test
    void anOrderWithAnUnknownSkuWaitsInDeadLettersUntilTheProductExists() throws Exception {
        String missing = newSku();
        List<String> ids = createOrders(Map.of("lines", List.of(Map.of("sku", missing, "quantity", 1, "price", "7.00"))));
        poller.poll();

        await().atMost(Duration.ofSeconds(15)).until(() -> admin("/dead-letters").getList("reason", String.class).stream()
                .anyMatch(r -> r.contains("'" + missing + "'")));
        assertTrue(saleOrders(ids).isEmpty());
        long letter = admin("/dead-letters").getList("$", Map.class).stream()
                .filter(l -> String.valueOf(l.get("reason")).contains(missing)).mapToLong(l -> ((Number) l.get("id")).longValue())
                .findFirst().orElseThrow();

        product(missing);
        adminPost("/dead-letters/" + letter + "/replay").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> saleOrders(ids).size() == 1);
    }

    @Test
    void theOrderCarriesWhatTheBuyerPaidAfterPromotionsWithoutOdoosTaxOnTopOfEbays() throws Exception {
        String sku = product(newSku());
        List<String> ids = createOrders(Map.of("deliveryCost", "6.00", "deliveryDiscount", "2.00", "lines",
                List.of(Map.of("sku", sku, "quantity", 2, "price", "10.00", "discountedPrice", "8.50", "collectedTax", "1.36"))));
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> saleOrders(ids).size() == 1);

        Map<String, Object> order = saleOrders(ids).get(0);
        // 2 x 8.50 after the promotion + 6.00 - 2.00 shipping; the 1.36 eBay collected is not the seller's
        assertEquals(21.0, ((Number) order.get("amount_total")).doubleValue(), 0.001, order.toString());
        List<Map<String, Object>> orders = odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + ids.get(0))),
                List.of("note"));
        assertTrue(String.valueOf(orders.get(0).get("note")).contains("eBay collected and remitted 1.36"), orders.toString());
    }

    @Test
    void paymentAndCancellationOnEbayAreFollowedInOdoo() throws Exception {
        String sku = product(newSku());
        List<String> ids = createOrders(Map.of("paid", false, "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "12.00"))));
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> saleOrders(ids).size() == 1);
        assertEquals("draft", saleOrders(ids).get(0).get("state"));

        given().contentType("application/json").body(Map.of("orderPaymentStatus", "PAID")).post("/sandbox/ebay/_orders/" + ids.get(0));
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> "sale".equals(saleOrders(ids).get(0).get("state")));

        given().contentType("application/json").body(Map.of("cancelState", "CANCELED")).post("/sandbox/ebay/_orders/" + ids.get(0));
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> "cancel".equals(saleOrders(ids).get(0).get("state")));
    }

    @Test
    void aSaleNotificationImportsTheFullOrderAndThePollDoesNotDoubleIt() throws Exception {
        String first = product(newSku());
        String second = product(newSku());
        List<String> ids = createOrders(Map.of("lines", List.of(Map.of("sku", first, "quantity", 1, "price", "8.00"),
                Map.of("sku", second, "quantity", 3, "price", "2.00"))));

        String soap = notification(Map.of("eventName", "FixedPriceTransaction", "orderId", ids.get(0)));
        deliver(soap).then().statusCode(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> saleOrders(ids).size() == 1);
        assertEquals(14.0, ((Number) saleOrders(ids).get(0).get("amount_total")).doubleValue(), 0.001, "both lines, not just the notified one");
        deliver(soap).then().statusCode(200);
        poller.poll();
        awaitIdle();
        assertEquals(1, saleOrders(ids).size());
    }

    @Test
    void nearTheCallBudgetHealthWarnsAndThePollerSlowsDown() throws Exception {
        setBudget(85_000);
        try {
            quotas.refresh();

            String metrics = given().get("/q/metrics").then().extract().asString();
            assertTrue(metrics.contains("marketbridge_ebay_quota_remaining{api=\"sell.fulfillment\",kind=\"user\",resource=\"sell.fulfillment\"} 15000.0"), metrics);
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'ebay-authorization' }.data.warning", org.hamcrest.Matchers.containsString("85% used"));
            int before = getOrdersCalls();
            for (int i = 0; i < 4; i++) {
                poller.poll();
            }
            int pagesPerPoll = pagesPerPoll();
            assertEquals(2 * pagesPerPoll, getOrdersCalls() - before, "every other poll while above 80 %");
        } finally {
            setBudget(0);
            quotas.refresh();
        }
        int before = getOrdersCalls();
        poller.poll();
        poller.poll();
        assertEquals(2 * pagesPerPoll(), getOrdersCalls() - before, "full rate again");
    }

    @Test
    void a429InTheMiddleOfAPollBacksOffUntilTheResetAndResumesFromTheCursor() throws Exception {
        String sku = product(newSku());
        List<String> ids = createOrders(Map.of("count", 450, "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "2.00"))));
        Instant reset = Instant.now().plusSeconds(3);
        given().contentType("application/json").body(Map.of("api", "sell.fulfillment", "used", 10, "limit", 100_000,
                "reset", reset.toString())).post("/sandbox/ebay/_quota").then().statusCode(200);
        quotas.refresh();
        ebayFault(Map.of("path", "/sell/fulfillment/v1/order", "skip", 1, "times", 1, "status", 429));
        try {
            int before = getOrdersCalls();
            poller.poll();
            assertEquals(1, getOrdersCalls() - before, "the first page was read, the second met the exhausted quota");
            given().get("/q/health/ready").then().log().ifValidationFails()
                    .body("checks.find { it.name == 'ebay-authorization' }.data.warning", containsString("fulfillment until " + reset));
            poller.poll();
            assertEquals(1, getOrdersCalls() - before, "before the reset, no call at all");

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                poller.poll();
                return getOrdersCalls() - before > 1;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> saleOrders(ids).size() == 450);
            awaitIdle();
            assertEquals(450, saleOrders(ids).size(), "nothing lost, nothing doubled");
        } finally {
            clearEbayFaults();
        }
    }

    @Test
    void aPollThatKeepsFailingOrMeetsASlowPeerRaisesAnAlertAndAnIdlePollerBacksOff() throws Exception {
        ebayFault(Map.of("path", "/sell/fulfillment/v1/order", "status", 503));
        try {
            for (int i = 0; i < 3; i++) {
                poller.poll();
            }
            given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'alerts' }.data.'poll-failing:ebay-orders'", containsString("failed 3 times in a row"));
            assertTrue(given().get("/q/metrics").asString().contains("marketbridge_alert{alert=\"poll-failing:ebay-orders\"} 1.0"));
            clearEbayFaults();
            poller.poll(); // eBay answers again
            JsonPath status = admin("/status");
            assertTrue(status.getMap("alerts").keySet().stream().noneMatch("poll-failing:ebay-orders"::equals));
            assertEquals(0, status.getInt("polls.'ebay-orders'.failuresInARow"));

            ebayFault(Map.of("path", "/sell/fulfillment/v1/order", "delayMillis", 1500, "times", 1));
            poller.poll();
            given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'alerts' }.data.'slow-peer:ebay'", containsString("ms to answer GET"));
            poller.poll(); // a quick answer clears it
            given().get("/q/health/ready").then().body("checks.find { it.name == 'alerts' }.data", not(hasKey("slow-peer:ebay")));
        } finally {
            clearEbayFaults();
        }

        poller.poll(); // nothing new since the last poll: idle
        poller.poll();
        assertEquals(List.of(false, false, false, true), List.of(pollHealth.due("ebay-orders"), pollHealth.due("ebay-orders"),
                pollHealth.due("ebay-orders"), pollHealth.due("ebay-orders")), "idle twice: three firings skipped (4x, the cap)");
        poller.poll();
        assertEquals(List.of(false, false, false, true), List.of(pollHealth.due("ebay-orders"), pollHealth.due("ebay-orders"),
                pollHealth.due("ebay-orders"), pollHealth.due("ebay-orders")), "never slower than the cap");
        createOrders(Map.of("lines", List.of(Map.of("sku", product(newSku()), "quantity", 1, "price", "1.00"))));
        poller.poll();
        assertTrue(pollHealth.due("ebay-orders"), "back to the base rate at the first change");
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("marketbridge_poll_runs_last_hour{poll=\"ebay-orders\"}"), metrics);
        assertTrue(metrics.contains("marketbridge_poll_duplicates_total{poll=\"ebay-orders\"}"), metrics);
    }

    /** A poll reads every page of the window, and always at least one. */
    private static int pagesPerPoll() {
        return Math.max(1, (int) Math.ceil(ordersOnEbay() / 200.0));
    }

    private static void setBudget(long used) {
        given().contentType("application/json").body(Map.of("api", "sell.fulfillment", "used", used, "limit", 100_000))
                .post("/sandbox/ebay/_quota").then().statusCode(200);
    }

    @Test
    void aBuyersEmailIsNotErasedWhenEbayStopsSendingIt() throws Exception {
        String sku = product(newSku());
        String buyer = "buyer_" + newSku().toLowerCase();
        List<String> first = createOrders(Map.of("buyer", buyer, "email", "alice@example.com",
                "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "3.00"))));
        List<String> second = createOrders(Map.of("buyer", buyer, "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "3.00"))));
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> saleOrders(first).size() == 1 && saleOrders(second).size() == 1);

        List<Map<String, Object>> partners = odoo("res.partner", List.of(List.of("ref", "=", "ebay_buyer_" + buyer)),
                List.of("email", "country_id"));
        assertEquals(1, partners.size(), "one partner per eBay buyer");
        assertEquals("alice@example.com", partners.get(0).get("email"));
        assertEquals("United States", ((List<?>) partners.get(0).get("country_id")).get(1));
    }
}

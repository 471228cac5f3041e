package io.marketbridge.ebay.orders;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.notification;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 eBay orders reach Odoo through one poll: ⌈10,000/200⌉ getOrders pages, a bounded number
 * of Odoo calls per order, and not one duplicate although hundreds of the same orders arrive as
 * SOAP and JSON sale notifications while the poll runs.
 */
@QuarkusTest
@TestProfile(EbayOrdersAtScaleTest.FreshSeller.class)
class EbayOrdersAtScaleTest implements EbayContractChecked {

    private static final Logger LOG = Logger.getLogger(EbayOrdersAtScaleTest.class);
    private static final int ORDERS = 10_000;
    /** Odoo calls one order may cost: partner lookup and create, delivery contact, SKU lookup, create, confirm... (measured ~9). */
    private static final double ODOO_CALLS_PER_ORDER = 10;

    /** A seller of its own (an empty simulated eBay and Odoo); the test runs the poll itself. */
    public static class FreshSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.orders.poll-delay", "1h");
        }
    }

    @Inject
    EbayOrderPoller poller;

    private static JsonPath ebayStats() {
        return given().get("/sandbox/ebay/_orders/stats").then().statusCode(200).extract().jsonPath();
    }

    private static long odooCalls() {
        Map<String, Integer> calls = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().getMap("calls");
        return calls.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static long saleOrders() {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", "sale.order",
                        "search_count", List.of(List.of()), Map.of())));
        return given().contentType("application/json").body(call).post("/sandbox/odoo/jsonrpc").then().statusCode(200)
                .extract().jsonPath().getLong("result");
    }

    @Test
    void tenThousandOrdersReachOdooOnceWithFiftyPagesWhileNotificationsRepeatThem() throws Exception {
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String sku = newSku();
            odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
            skus.add(sku);
        }
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < ORDERS / 500; batch++) {
            List<Map<String, Object>> lines = batch % 2 == 0
                    ? List.of(Map.of("sku", skus.get(batch % 4), "quantity", 1, "price", "12.00"))
                    : List.of(Map.of("sku", skus.get(batch % 4), "quantity", 2, "price", "5.00"),
                            Map.of("sku", skus.get((batch + 1) % 4), "quantity", 1, "price", "7.50"));
            ids.addAll(given().contentType("application/json").body(Map.of("count", 500, "lines", lines, "deliveryCost", "3.00"))
                    .post("/sandbox/ebay/_orders").then().statusCode(200).extract().jsonPath().getList("orderIds", String.class));
        }
        assertEquals(ORDERS, ids.size());
        int pagesBefore = ebayStats().getInt("getOrdersCalls");
        long odooBefore = odooCalls();
        long started = System.nanoTime();

        // eBay notifies some of the same sales while the poll reads them: SOAP and JSON, each fetching its order
        CompletableFuture<Integer> notifications = CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            for (int i = 0; i < 300; i++) {
                String orderId = ids.get(i * 31 % ORDERS);
                if (i % 2 == 0) {
                    deliver(notification(Map.of("eventName", "FixedPriceTransaction", "orderId", orderId))).then().statusCode(200);
                } else {
                    JsonPath push = given().contentType("application/json").body(Map.of("topic", "ORDER_CONFIRMATION",
                            "data", Map.of("orderId", orderId), "notificationId", UUID.randomUUID().toString()))
                            .post("/sandbox/ebay/_commerce/sign").then().statusCode(200).extract().jsonPath();
                    given().contentType("application/json").header("X-EBAY-SIGNATURE", push.getString("signature"))
                            .body(push.getString("body")).post("/webhooks/ebay/events").then().statusCode(204);
                }
                sent++;
            }
            return sent;
        });
        poller.poll();
        int pollPages = ebayStats().getInt("getOrdersCalls") - pagesBefore;
        int notified = notifications.get();

        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> saleOrders() >= ORDERS
                && inboxCount("ebay.Order", "PENDING") + inboxCount("ebay.Order", "PROCESSING") == 0
                && inboxCount("ebay.FixedPriceTransaction", "PENDING") + inboxCount("ebay.ORDER_CONFIRMATION", "PENDING") == 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        awaitIdle(); // anything still in flight would show as a duplicate now
        double odooPerOrder = (odooCalls() - odooBefore) / (double) ORDERS;
        LOG.infof("%d orders in %.1f s (%.0f orders/s): %d getOrders pages, %.2f Odoo calls per order, %d notifications",
                ORDERS, seconds, ORDERS / seconds, pollPages, odooPerOrder, notified);

        assertTrue(pollPages <= Math.ceil(ORDERS / 200.0), "getOrders pages for the poll: " + pollPages);
        assertEquals(ORDERS, saleOrders(), "every order once, none duplicated");
        assertEquals(0, inboxCount("ebay.Order", "DEAD"), "no order dead-lettered");
        assertTrue(odooPerOrder <= ODOO_CALLS_PER_ORDER, "Odoo calls per order: " + odooPerOrder);
    }
}

package io.marketbridge.medusa;

import io.marketbridge.sandbox.medusa.MedusaSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Medusa orders reach Odoo through the running service: placed on the simulated Medusa, polled by updated_at into
 * the inbox, made once as a sale order (confirmed when paid, cancelled when canceled in Medusa) and its name written
 * back into the Medusa order's metadata, once. The test runs each poll itself (the timer waits an hour in tests).
 */
@QuarkusTest
class MedusaOrdersTest {

    private static final String MEDUSA = "/sandbox/medusa";

    @Inject
    MedusaOrderPoller poller;

    @AfterEach
    void clearFaults() {
        given().delete(MEDUSA + "/_faults").then().statusCode(200);
    }

    private static String product(String sku) {
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        return sku;
    }

    /** Places an order on the simulated Medusa as a shopper's checkout would leave it; returns its id. */
    private static String place(String paymentStatus, List<Map<String, Object>> items) {
        Map<String, Object> order = new HashMap<>();
        order.put("email", "shopper-" + newSku().toLowerCase() + "@example.com");
        order.put("customer_id", "cus_" + newSku());
        order.put("currency_code", "eur");
        order.put("payment_status", paymentStatus);
        order.put("items", items);
        order.put("shipping_methods", List.of(Map.of("name", "Standard shipping", "amount", 4.5)));
        order.put("shipping_address", Map.of("first_name", "Ann", "last_name", "Lee", "address_1", "1 Main St", "city", "Berlin",
                "postal_code", "10115", "country_code", "de", "phone", "+49 30 1234"));
        return given().contentType(ContentType.JSON).body(order).post(MEDUSA + "/_orders").then().statusCode(200)
                .extract().jsonPath().getString("order.id");
    }

    private static Map<String, Object> line(String sku, int quantity, double unitPrice) {
        Map<String, Object> line = new HashMap<>();
        line.put("sku", sku);
        line.put("quantity", quantity);
        line.put("unit_price", unitPrice);
        line.put("title", "Item " + sku);
        return line;
    }

    private static List<Map<String, Object>> saleOrders(String medusaOrderId) {
        return odoo("sale.order", List.of(List.of("client_order_ref", "=", "medusa:" + medusaOrderId)),
                List.of("state", "amount_total", "name", "partner_id", "partner_shipping_id", "origin"));
    }

    private static String state(String medusaOrderId) {
        List<Map<String, Object>> found = saleOrders(medusaOrderId);
        return found.isEmpty() ? null : String.valueOf(found.get(0).get("state"));
    }

    private static Map<String, Object> medusaOrder(String id) {
        return given().auth().preemptive().basic(MedusaSandbox.SECRET_KEY, "").get(MEDUSA + "/admin/orders/" + id + "?fields=id,status,metadata,updated_at")
                .then().statusCode(200).extract().jsonPath().getMap("order");
    }

    private static Object metadata(String id, String key) {
        Object metadata = medusaOrder(id).get("metadata");
        return metadata instanceof Map<?, ?> map ? map.get(key) : null;
    }

    @Test
    void aPaidOrderBecomesOneConfirmedSaleOrderWhoseNameGoesBackToMedusaOnce() throws Exception {
        String shirt = product(newSku());
        String cap = product(newSku());
        String id = place("captured", List.of(line(shirt, 2, 19.99), line(cap, 1, 5.00)));

        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> metadata(id, MedusaOrders.SALE_ORDER_KEY) != null);

        List<Map<String, Object>> orders = saleOrders(id);
        assertEquals(1, orders.size());
        Map<String, Object> order = orders.get(0);
        assertEquals("sale", order.get("state"), "a captured payment confirms the sale order");
        assertEquals(49.48, ((Number) order.get("amount_total")).doubleValue(), 0.001, "2 x 19.99 + 5.00 + 4.50 shipping");
        assertEquals(order.get("name"), metadata(id, MedusaOrders.SALE_ORDER_KEY));
        assertTrue(String.valueOf(order.get("origin")).contains(id), order.toString());
        List<Map<String, Object>> contact = odoo("res.partner", List.of(List.of("id", "=", ((List<?>) order.get("partner_shipping_id")).get(0))),
                List.of("street", "city", "zip", "type"));
        assertEquals("1 Main St", contact.get(0).get("street"), "the shipping address is the delivery contact");
        String updatedAfterWriteBack = String.valueOf(medusaOrder(id).get("updated_at"));

        poller.poll(); // the write-back changed updated_at, and the overlap re-reads the first change too
        poller.poll();
        awaitIdle();
        assertEquals(1, saleOrders(id).size(), "the same order polled again: still one sale order");
        assertEquals(updatedAfterWriteBack, String.valueOf(medusaOrder(id).get("updated_at")), "the name is written once");
    }

    @Test
    void anUnpaidOrderStaysAQuotationUntilCapturedAndACancelInMedusaCancelsIt() throws Exception {
        String sku = product(newSku());
        String id = place("authorized", List.of(line(sku, 1, 12.00)));

        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> metadata(id, MedusaOrders.SALE_ORDER_KEY) != null);
        assertEquals("draft", state(id), "only authorized: paid-when is captured by default");

        given().contentType(ContentType.JSON).body(Map.of("payment_status", "captured")).post(MEDUSA + "/_orders/" + id + "/payment")
                .then().statusCode(200);
        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> "sale".equals(state(id)));

        given().auth().preemptive().basic(MedusaSandbox.SECRET_KEY, "").post(MEDUSA + "/admin/orders/" + id + "/cancel").then().statusCode(200);
        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> "cancel".equals(state(id)));
        assertEquals(1, saleOrders(id).size());
    }

    @Test
    void aLineWithoutSkuIsADeadLetterSayingSoAndNothingIsMadeInOdoo() throws Exception {
        String sku = product(newSku());
        Map<String, Object> custom = line(null, 1, 3.00);
        custom.put("title", "Gift wrap " + sku);
        String id = place("captured", List.of(line(sku, 1, 10.00), custom));

        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin("/dead-letters").getList("reason", String.class).stream()
                .anyMatch(r -> r.contains("Medusa order " + id) && r.contains("Gift wrap " + sku) && r.contains("no variant SKU")));
        assertTrue(saleOrders(id).isEmpty());
        assertEquals(null, metadata(id, MedusaOrders.SALE_ORDER_KEY));
    }

    @Test
    void anUnknownSkuWaitsAsADeadLetterUntilTheProductExistsInOdoo() throws Exception {
        String missing = newSku();
        String id = place("captured", List.of(line(missing, 1, 7.00)));
        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin("/dead-letters").getList("reason", String.class).stream()
                .anyMatch(r -> r.contains("'" + missing + "'")));
        long letter = admin("/dead-letters").getList("$", Map.class).stream()
                .filter(l -> String.valueOf(l.get("reason")).contains(missing)).mapToLong(l -> ((Number) l.get("id")).longValue())
                .findFirst().orElseThrow();

        product(missing);
        adminPost("/dead-letters/" + letter + "/replay").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "sale".equals(state(id)) && metadata(id, MedusaOrders.SALE_ORDER_KEY) != null);
    }

    @Test
    void aMedusaOutageLeavesTheCursorWhereItWasAndTheNextPollReadsTheOrder() throws Exception {
        String sku = product(newSku());
        String id = place("captured", List.of(line(sku, 1, 9.00)));
        given().contentType(ContentType.JSON).body(Map.of("path", "/admin/orders", "status", 503)).post(MEDUSA + "/_faults")
                .then().statusCode(200);

        poller.poll(); // a transient failure: reported by the poll's health, not thrown
        awaitIdle();
        assertTrue(saleOrders(id).isEmpty());

        given().delete(MEDUSA + "/_faults").then().statusCode(200);
        poller.poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> "sale".equals(state(id)));
    }
}

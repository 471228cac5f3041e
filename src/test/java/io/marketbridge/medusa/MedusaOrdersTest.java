package io.marketbridge.medusa;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Medusa orders contract against the simulated Medusa (orders placed through its {@code /_orders} control), and
 * what only the simulator can show: a line without SKU and an unknown SKU as dead letters, and an outage.
 */
@QuarkusTest
class MedusaOrdersTest extends MedusaOrdersContract {

    private static final String MEDUSA = "/sandbox/medusa";

    @AfterEach
    void clearFaults() {
        given().delete(MEDUSA + "/_faults").then().statusCode(200);
    }

    @Override
    String place(List<Item> items, boolean captured) {
        return place(captured ? "captured" : "authorized", items.stream().map(i -> line(i.sku(), i.quantity(), i.unitPrice())).toList());
    }

    @Override
    void capture(String orderId) {
        given().contentType(ContentType.JSON).body(Map.of("payment_status", "captured")).post(MEDUSA + "/_orders/" + orderId + "/payment")
                .then().statusCode(200);
    }

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
        assertEquals(null, saleOrderInMetadata(id));
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
        await().atMost(Duration.ofSeconds(20)).until(() -> "sale".equals(state(id)) && saleOrderInMetadata(id) != null);
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

    @Test
    void aRefusedWriteBackIsRetriedUntilMedusaTakesItWithOneSaleOrder() throws Exception {
        String sku = product(newSku());
        String id = place("captured", List.of(line(sku, 1, 11.00)));
        // Medusa fails the metadata write three times (503): more than the quick redeliveries, so a durable retry follows
        given().contentType(ContentType.JSON).body(Map.of("path", "/admin/orders/" + id, "method", "POST", "status", 503, "times", 3))
                .post(MEDUSA + "/_faults").then().statusCode(200);

        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrderInMetadata(id) != null);
        assertEquals(saleOrders(id).get(0).get("name"), saleOrderInMetadata(id));
        assertEquals("sale", state(id));
        awaitIdle();
        assertEquals(1, saleOrders(id).size(), "the retries found the sale order they made");
    }
}

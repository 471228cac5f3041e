package io.marketbridge.medusa;

import io.marketbridge.odoo.OdooChannelDeliveries;
import io.marketbridge.odoo.OdooOrderProgress;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.marketbridge.medusa.MedusaConnectorContract.asMedusaClient;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCall;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.odooWrite;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Medusa orders into Odoo through the running service, the same assertions against the simulated Medusa
 * ({@link MedusaOrdersTest}) and a real one ({@link MedusaOrdersRealTest}): an order placed in the shop is polled by
 * updated_at into the inbox, made once as a sale order (confirmed when its payment is captured, cancelled when it is
 * canceled in Medusa) and its name written back into the Medusa order's metadata, once. Odoo is the simulated one;
 * the test runs each poll itself (the timer waits an hour in tests).
 */
abstract class MedusaOrdersContract {

    /** A line the shopper buys: a SKU Odoo knows, at this unit price (major units, EUR). */
    record Item(String sku, int quantity, double unitPrice) {
    }

    @Inject
    MedusaOrderPoller poller;
    @Inject
    OdooChannelDeliveries odooDeliveries;
    @Inject
    OdooOrderProgress odooProgress;

    /** Places an order as a shopper would, shipped to Berlin with "Standard shipping" at 4.50; the payment is authorized only, or captured. */
    abstract String place(List<Item> items, boolean captured);

    /** The shop takes the authorized payment. */
    abstract void capture(String orderId);

    static String product(String sku) {
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        return sku;
    }

    static List<Map<String, Object>> saleOrders(String medusaOrderId) {
        return odoo("sale.order", List.of(List.of("client_order_ref", "=", "medusa:" + medusaOrderId)),
                List.of("state", "amount_total", "name", "partner_id", "partner_shipping_id", "origin"));
    }

    static String state(String medusaOrderId) {
        List<Map<String, Object>> found = saleOrders(medusaOrderId);
        return found.isEmpty() ? null : String.valueOf(found.get(0).get("state"));
    }

    /** The order as the Medusa Admin API shows it now. */
    static Map<String, Object> medusaOrder(String id) {
        return asMedusaClient().get("/admin/orders/" + id + "?fields=id,status,metadata,updated_at")
                .then().statusCode(200).extract().jsonPath().getMap("order");
    }

    static Object saleOrderInMetadata(String id) {
        Object metadata = medusaOrder(id).get("metadata");
        return metadata instanceof Map<?, ?> map ? map.get(MedusaOrders.SALE_ORDER_KEY) : null;
    }

    @Test
    void aPaidOrderBecomesOneConfirmedSaleOrderWhoseNameGoesBackToMedusaOnce() throws Exception {
        String shirt = product(newSku());
        String cap = product(newSku());
        String id = place(List.of(new Item(shirt, 2, 19.99), new Item(cap, 1, 5.00)), true);

        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrderInMetadata(id) != null);

        List<Map<String, Object>> orders = saleOrders(id);
        assertEquals(1, orders.size());
        Map<String, Object> order = orders.get(0);
        assertEquals("sale", order.get("state"), "a captured payment confirms the sale order");
        assertEquals(49.48, ((Number) order.get("amount_total")).doubleValue(), 0.001, "2 x 19.99 + 5.00 + 4.50 shipping");
        assertEquals(order.get("name"), saleOrderInMetadata(id));
        assertTrue(String.valueOf(order.get("origin")).contains(id), order.toString());
        List<Map<String, Object>> contact = odoo("res.partner", List.of(List.of("id", "=", ((List<?>) order.get("partner_shipping_id")).get(0))),
                List.of("street", "city", "zip"));
        assertEquals("1 Main St", contact.get(0).get("street"), "the shipping address is the delivery contact");
        assertEquals("Berlin", contact.get(0).get("city"));
        String updatedAfterWriteBack = String.valueOf(medusaOrder(id).get("updated_at"));

        poller.poll(); // the write-back changed updated_at, and the overlap re-reads the first change too
        poller.poll();
        awaitIdle();
        assertEquals(1, saleOrders(id).size(), "the same order polled again: still one sale order");
        assertEquals(updatedAfterWriteBack, String.valueOf(medusaOrder(id).get("updated_at")), "the name is written once");
    }

    @Test
    void anAuthorizedOrderStaysAQuotationUntilCapturedAndACancelInMedusaCancelsIt() throws Exception {
        String sku = product(newSku());
        String id = place(List.of(new Item(sku, 1, 12.00)), false);

        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrderInMetadata(id) != null);
        assertEquals("draft", state(id), "only authorized: paid-when is captured by default");

        capture(id);
        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> "sale".equals(state(id)));

        asMedusaClient().body(Map.of()).post("/admin/orders/" + id + "/cancel").then().statusCode(200);
        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancel".equals(state(id)));
        assertEquals(1, saleOrders(id).size());
    }

    @Test
    void anOrderCancelledInOdooIsCancelledInMedusaOnce() throws Exception {
        String sku = product(newSku());
        String id = place(List.of(new Item(sku, 1, 12.00)), true);
        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> saleOrderInMetadata(id) != null && "sale".equals(state(id)));
        long saleOrder = ((Number) saleOrders(id).get(0).get("id")).longValue();

        odooCall("sale.order", "action_cancel", List.of(saleOrder), Map.of("disable_cancel_warning", true));
        odooProgress.poll("medusa");
        await().atMost(Duration.ofSeconds(30)).until(() -> "canceled".equals(medusaOrder(id).get("status")));

        poller.poll(); // Medusa's cancellation comes back as an order change: Odoo has it cancelled already
        odooProgress.poll("medusa");
        awaitIdle();
        assertEquals("cancel", state(id));
        assertEquals(1, saleOrders(id).size());
    }

    @Test
    void aDoneOdooDeliveryBecomesAShippedFulfillmentWithItsTrackingInMedusaOnce() throws Exception {
        String shirt = product(newSku());
        String cap = product(newSku());
        String id = place(List.of(new Item(shirt, 2, 19.99), new Item(cap, 1, 5.00)), true);
        poller.poll();
        await().atMost(Duration.ofSeconds(30)).until(() -> "sale".equals(state(id)) && saleOrderInMetadata(id) != null);

        // a warehouse user validates the delivery Odoo made on confirmation, with the carrier's tracking reference
        Object saleOrder = odoo("sale.order", List.of(List.of("client_order_ref", "=", "medusa:" + id)), List.of("name")).get(0).get("id");
        long picking = ((Number) odoo("stock.picking", List.of(List.of("sale_id", "=", saleOrder)), List.of("state")).get(0).get("id")).longValue();
        String tracking = "1Z" + newSku().replace("-", "");
        odooWrite("stock.picking", List.of(picking), Map.of("state", "done", "carrier_tracking_ref", tracking));

        odooDeliveries.pollDone("medusa");
        await().atMost(Duration.ofSeconds(30)).until(() -> !fulfillments(id).isEmpty() && fulfillments(id).get(0).get("shipped_at") != null);
        Map<String, Object> fulfillment = fulfillments(id).get(0);
        assertEquals(String.valueOf(picking), ((Map<?, ?>) fulfillment.get("metadata")).get(MedusaFulfilments.PICKING_KEY));
        assertEquals(tracking, ((Map<?, ?>) ((List<?>) fulfillment.get("labels")).get(0)).get("tracking_number"));
        assertEquals(3, ((List<?>) fulfillment.get("items")).stream().mapToInt(i -> ((Number) ((Map<?, ?>) i).get("quantity")).intValue()).sum(),
                "both lines, all three units");

        odooDeliveries.pollDone("medusa"); // the overlap reads the delivery again
        poller.poll(); // the fulfillment changed the Medusa order: read once more, nothing to do in Odoo
        awaitIdle();
        assertEquals(1, fulfillments(id).size(), "one fulfillment per Odoo delivery");
        assertEquals(1, saleOrders(id).size());
    }

    static List<Map<String, Object>> fulfillments(String id) {
        return asMedusaClient().get("/admin/orders/" + id + "?fields=id,*fulfillments,*fulfillments.labels,*fulfillments.items")
                .then().statusCode(200).extract().jsonPath().getList("order.fulfillments");
    }
}

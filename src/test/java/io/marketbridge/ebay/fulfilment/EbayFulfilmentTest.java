package io.marketbridge.ebay.fulfilment;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.ebay.orders.EbayOrderPoller;
import io.marketbridge.odoo.OdooChannelDeliveries;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.awaitIdle;
import static io.marketbridge.testsupport.Sandbox.clearEbayFaults;
import static io.marketbridge.testsupport.Sandbox.ebayFault;
import static io.marketbridge.testsupport.Sandbox.ebayUserToken;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.marketbridge.testsupport.Sandbox.odooWrite;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shipping fulfilments both ways, through the running service and the simulated eBay and Odoo:
 * eBay's tracking reaches the Odoo delivery and the chatter once (poll or ITEM_MARKED_SHIPPED),
 * Odoo's done delivery reaches eBay once with its tracking cleaned, neither is echoed back, and an
 * order's ship-to is the buyer's delivery contact.
 */
@QuarkusTest
@TestProfile(EbayFulfilmentTest.ConnectedSeller.class)
class EbayFulfilmentTest implements EbayContractChecked {

    /** A connected seller; the test runs each poll itself (the fulfilment timers first fire after an hour). */
    public static class ConnectedSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.fulfilment.poll-period", "1h",
                    "marketbridge.ebay.fulfilment.carrier-codes.\"UPS Ground\"", "UPS");
        }
    }

    @Inject
    EbayOrderPoller orders;
    @Inject
    EbayFulfilmentPoller fulfilments;

    @Inject
    OdooChannelDeliveries odooDeliveries;

    // --- helpers ---------------------------------------------------------------------------------

    /** A paid eBay order of these SKUs (products created in Odoo), imported by the order poll, with its Odoo delivery. */
    private String importedOrder(Map<String, Object> request) throws Exception {
        String orderId = given().contentType("application/json").body(request).post("/sandbox/ebay/_orders").then().statusCode(200)
                .extract().jsonPath().getList("orderIds", String.class).get(0);
        orders.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> !pickings(orderId).isEmpty());
        return orderId;
    }

    private static Map<String, Object> paidOrderOf(String... skus) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String sku : skus) {
            odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
            lines.add(Map.of("sku", sku, "quantity", 2, "price", "6.00"));
        }
        return Map.of("lines", lines, "deliveryCost", "3.00");
    }

    private static Map<String, Object> saleOrder(String orderId) {
        List<Map<String, Object>> found = odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + orderId)),
                List.of("name", "state", "partner_id", "partner_shipping_id"));
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Map<String, Object>> pickings(String orderId) {
        Map<String, Object> order = saleOrder(orderId);
        return order == null ? List.of() : odoo("stock.picking", List.of(List.of("sale_id", "=", order.get("id"))),
                List.of("state", "carrier_tracking_ref", "origin", "picking_type_code"));
    }

    private static Object tracking(String orderId) {
        return pickings(orderId).get(0).get("carrier_tracking_ref");
    }

    private static List<String> notes(String orderId) {
        return odoo("mail.message", List.of(List.of("model", "=", "sale.order"), List.of("res_id", "=", saleOrder(orderId).get("id"))),
                List.of("body")).stream().map(m -> String.valueOf(m.get("body"))).filter(b -> b.startsWith("Shipped on eBay")).toList();
    }

    private static void shipOnEbay(String orderId, String carrier, String tracking) {
        given().contentType("application/json").body(Map.of("carrier", carrier, "tracking", tracking))
                .post("/sandbox/ebay/_orders/" + orderId + "/ship").then().statusCode(201);
    }

    /** Ships the order's delivery in Odoo, as a warehouse user validating it with a tracking reference. */
    private static void shipInOdoo(String orderId, String tracking, Long carrier) {
        long picking = ((Number) pickings(orderId).get(0).get("id")).longValue();
        Map<String, Object> values = new HashMap<>(Map.of("state", "done", "carrier_tracking_ref", tracking));
        if (carrier != null) {
            values.put("carrier_id", carrier);
        }
        odooWrite("stock.picking", List.of(picking), values);
    }

    private static int ebayCalls(String call) {
        Map<String, Integer> calls = given().get("/sandbox/ebay/_fulfillment/stats").then().statusCode(200).extract().jsonPath()
                .getMap("calls");
        return calls.getOrDefault(call, 0);
    }

    /** The shipping_fulfillment requests the simulated eBay received for this order's line items. */
    private static List<Map<String, Object>> sentToEbay(String orderId) {
        List<Map<String, Object>> received = given().get("/sandbox/ebay/_fulfillment/stats").then().extract().jsonPath()
                .getList("received");
        String lineIdPrefix = orderId.replace("-", "");
        return received.stream().filter(r -> ((List<?>) r.get("lineItems")).stream()
                .anyMatch(l -> String.valueOf(((Map<?, ?>) l).get("lineItemId")).startsWith(lineIdPrefix))).toList();
    }

    /** How often the service read this order's fulfilments from eBay. */
    private static int fulfilmentReads(String orderId) {
        Map<String, Integer> reads = given().get("/sandbox/ebay/_fulfillment/stats").then().extract().jsonPath().getMap("readsByOrder");
        return reads.getOrDefault(orderId, 0);
    }

    private static JsonPath signedShipment(String orderId) {
        // ITEM_MARKED_SHIPPED's payload is not documented: the order id is found wherever it sits under data
        return given().contentType("application/json").body(Map.of("topic", "ITEM_MARKED_SHIPPED",
                "notificationId", UUID.randomUUID().toString(), "data", Map.of("order", Map.of("orderId", orderId))))
                .post("/sandbox/ebay/_commerce/sign").then().statusCode(200).extract().jsonPath();
    }

    private static void push(JsonPath signed) {
        given().contentType("application/json").header("X-EBAY-SIGNATURE", signed.getString("signature")).body(signed.getString("body"))
                .post("/webhooks/ebay/events").then().statusCode(204);
    }

    private static long openDeadLetters() {
        return admin("/status").getLong("deadLetters.open");
    }

    private static long odooCalls(String modelMethod) {
        Map<String, Integer> calls = given().get("/sandbox/odoo/_stats").then().extract().jsonPath().getMap("calls");
        return calls.getOrDefault(modelMethod, 0);
    }

    // --- eBay → Odoo ---------------------------------------------------------------------------

    @Test
    void anOrderMarkedShippedOnEbayGetsItsTrackingOnTheOdooDeliveryAndOneNoteAfterAPoll() throws Exception {
        String sku = newSku();
        String orderId = importedOrder(paidOrderOf(sku));
        assertEquals("outgoing", pickings(orderId).get(0).get("picking_type_code"));
        assertEquals(saleOrder(orderId).get("name"), pickings(orderId).get(0).get("origin"));
        assertEquals(false, tracking(orderId));

        shipOnEbay(orderId, "USPS", "9400111899223100012345");
        fulfilments.pollEbay();

        await().atMost(Duration.ofSeconds(15)).until(() -> "9400111899223100012345".equals(tracking(orderId)) && notes(orderId).size() == 1);
        String note = notes(orderId).get(0);
        assertTrue(note.contains("carrier USPS") && note.contains("tracking 9400111899223100012345") && note.contains("2 x " + sku), note);
        long pickingWrites = odooCalls("stock.picking.write");
        int reads = fulfilmentReads(orderId);

        fulfilments.pollEbay(); // the overlap re-reads the order: absorbed
        assertEquals(reads + 1, fulfilmentReads(orderId), "still not shipped in Odoo: its fulfilments are read again");
        awaitIdle();
        assertEquals(pickingWrites, odooCalls("stock.picking.write"), "written once");
        assertEquals(1, notes(orderId).size(), "noted once");

        // the warehouse validates the delivery with eBay's tracking: nothing goes back to eBay
        long reflected = inboxCount(OdooChannelDeliveries.eventType("ebay"), "DONE");
        int posts = ebayCalls("createShippingFulfillment");
        shipInOdoo(orderId, "9400111899223100012345", null);
        odooDeliveries.pollDone("ebay");
        await().atMost(Duration.ofSeconds(15)).until(() -> inboxCount(OdooChannelDeliveries.eventType("ebay"), "DONE") > reflected);
        assertEquals(posts, ebayCalls("createShippingFulfillment"), "a tracking that came from eBay is not echoed back");

        int readsBefore = fulfilmentReads(orderId);
        fulfilments.pollEbay();
        assertEquals(readsBefore, fulfilmentReads(orderId), "shipped in Odoo now: the poll leaves it alone");
    }

    @Test
    void itemMarkedShippedReflectsTheShipmentWithoutWaitingForThePoll() throws Exception {
        String orderId = importedOrder(paidOrderOf(newSku()));
        shipOnEbay(orderId, "FEDEX", "784512369875");

        push(signedShipment(orderId));

        await().atMost(Duration.ofSeconds(15)).until(() -> "784512369875".equals(tracking(orderId)) && notes(orderId).size() == 1);
        long pickingWrites = odooCalls("stock.picking.write");
        fulfilments.pollEbay(); // the poll meets the same fulfilment: the inbox already has it
        awaitIdle();
        assertEquals(pickingWrites, odooCalls("stock.picking.write"));
        assertEquals(1, notes(orderId).size());
    }

    // --- Odoo → eBay ---------------------------------------------------------------------------

    @Test
    void odooShippingAnEbayOrderSendsExactlyOneFulfilmentWithCleanedTracking() throws Exception {
        String first = newSku();
        String second = newSku();
        String orderId = importedOrder(paidOrderOf(first, second));
        long ups = odooCreate("delivery.carrier", Map.of("name", "UPS Ground"));
        int posts = ebayCalls("createShippingFulfillment");

        shipInOdoo(orderId, "1Z 999-AA1/0123456784", ups);
        odooDeliveries.pollDone("ebay");

        await().atMost(Duration.ofSeconds(15)).until(() -> sentToEbay(orderId).size() == 1);
        Map<String, Object> sent = sentToEbay(orderId).get(0);
        assertEquals("1Z999AA10123456784", sent.get("trackingNumber"));
        assertEquals("UPS", sent.get("shippingCarrierCode"), "Odoo carrier mapped through carrier-codes");
        assertTrue(String.valueOf(sent.get("shippedDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), sent.toString());
        List<?> lines = (List<?>) sent.get("lineItems");
        assertEquals(2, lines.size(), "both lines, the shipping line is not a line item");
        lines.forEach(line -> assertEquals(2, ((Map<?, ?>) line).get("quantity")));

        odooDeliveries.pollDone("ebay"); // re-read through the overlap
        awaitIdle();
        assertEquals(posts + 1, ebayCalls("createShippingFulfillment"), "sent exactly once");
        assertEquals(1, sentToEbay(orderId).size());

        // eBay then notifies the shipment this service made: it is not written onto Odoo again
        long pickingWrites = odooCalls("stock.picking.write");
        long reflected = inboxCount(EbayFulfilments.FULFILMENT_EVENT, "DONE");
        push(signedShipment(orderId));
        await().atMost(Duration.ofSeconds(15)).until(() -> inboxCount(EbayFulfilments.FULFILMENT_EVENT, "DONE") > reflected);
        assertEquals(pickingWrites, odooCalls("stock.picking.write"));
        assertTrue(notes(orderId).isEmpty(), "no 'shipped on eBay' note for Odoo's own shipment");
    }

    @Test
    void anOrderAlreadyFulfilledOnEbayCountsAsDoneWhenOdooShipsIt() throws Exception {
        String orderId = importedOrder(paidOrderOf(newSku()));
        shipOnEbay(orderId, "USPS", "9400000000000000000001"); // the seller marked it on eBay; not yet polled
        long dead = openDeadLetters();
        long done = inboxCount(OdooChannelDeliveries.eventType("ebay"), "DONE");
        int posts = ebayCalls("createShippingFulfillment");

        shipInOdoo(orderId, "ZX-000111", null);
        odooDeliveries.pollDone("ebay");

        await().atMost(Duration.ofSeconds(15)).until(() -> inboxCount(OdooChannelDeliveries.eventType("ebay"), "DONE") > done);
        assertEquals(posts + 1, ebayCalls("createShippingFulfillment"), "one call, answered 409 Conflict, not retried");
        assertEquals("Other", sentToEbay(orderId).get(0).get("shippingCarrierCode"), "no carrier on the delivery: the default code");
        assertEquals(dead, openDeadLetters(), "already fulfilled is not a failure");
    }

    @Test
    void errorDuplicateLineItemIsARefusalNotAlreadyFulfilled() throws Exception {
        // eBay's Fulfillment contract: 32210 is "Duplicate line item in the request", a 400
        String orderId = importedOrder(paidOrderOf(newSku()));
        long dead = openDeadLetters();
        ebayFault(Map.of("path", "/sell/fulfillment/v1/order/" + orderId + "/shipping_fulfillment", "method", "POST",
                "status", 400, "errorId", 32210, "message", "Duplicate line item in the request", "times", 1));
        try {
            shipInOdoo(orderId, "ZX-000222", null);
            odooDeliveries.pollDone("ebay");
            await().atMost(Duration.ofSeconds(15)).until(() -> openDeadLetters() > dead);
        } finally {
            clearEbayFaults();
        }
        assertTrue(inboxCount(OdooChannelDeliveries.eventType("ebay"), "DEAD") > 0, "refused, kept for a replay");
    }

    @Test
    void theSimulatedEbayRefusesALineItemTwiceInOneRequestWith32210() throws Exception {
        String orderId = importedOrder(paidOrderOf(newSku()));
        String lineItemId = given().auth().oauth2(ebayUserToken()).get("/sandbox/ebay/sell/fulfillment/v1/order?orderIds=" + orderId)
                .then().statusCode(200).extract().jsonPath().getString("orders[0].lineItems[0].lineItemId");
        Map<String, Object> line = Map.of("lineItemId", lineItemId, "quantity", 1);
        given().auth().oauth2(ebayUserToken()).contentType("application/json")
                .body(Map.of("lineItems", List.of(line, line), "shippedDate", "2026-01-02T03:04:05.000Z",
                        "shippingCarrierCode", "USPS", "trackingNumber", "9400111"))
                .post("/sandbox/ebay/sell/fulfillment/v1/order/" + orderId + "/shipping_fulfillment")
                .then().statusCode(400).body("errors[0].errorId", org.hamcrest.Matchers.equalTo(32210));
    }

    // --- the ship-to as a delivery contact -------------------------------------------------------

    @Test
    void anOrdersShipToBecomesTheBuyersDeliveryContactReusedForTheSameAddress() throws Exception {
        String sku = newSku();
        String buyer = "buyer_" + newSku().toLowerCase();
        Map<String, Object> request = new HashMap<>(paidOrderOf(sku));
        request.put("buyer", buyer);
        String first = importedOrder(request);
        String second = importedOrder(request);
        request.put("countryCode", "GB");
        String elsewhere = importedOrder(request);

        List<Map<String, Object>> buyers = odoo("res.partner", List.of(List.of("ref", "=", "ebay_buyer_" + buyer)), List.of("name"));
        assertEquals(1, buyers.size());
        Object buyerId = buyers.get(0).get("id");
        List<Map<String, Object>> contacts = odoo("res.partner", List.of(List.of("parent_id", "=", buyerId)),
                List.of("type", "name", "street", "city", "zip", "phone", "country_id"));
        assertEquals(2, contacts.size(), "one delivery contact per distinct address");
        contacts.forEach(contact -> {
            assertEquals("delivery", contact.get("type"));
            assertEquals("Buyer " + buyer, contact.get("name"));
            assertEquals("1 Sandbox Way", contact.get("street"));
            assertEquals("4085550100", contact.get("phone"));
        });

        Map<String, Object> one = saleOrder(first);
        Map<String, Object> two = saleOrder(second);
        Map<String, Object> three = saleOrder(elsewhere);
        assertEquals(buyerId, ((List<?>) one.get("partner_id")).get(0), "the buyer is invoiced");
        assertEquals(((List<?>) one.get("partner_shipping_id")).get(0), ((List<?>) two.get("partner_shipping_id")).get(0),
                "same address, same contact");
        assertNotEquals(((List<?>) one.get("partner_shipping_id")).get(0), ((List<?>) three.get("partner_shipping_id")).get(0));
        assertTrue(contacts.stream().anyMatch(c -> c.get("id").equals(((List<?>) three.get("partner_shipping_id")).get(0))
                && "United Kingdom".equals(((List<?>) c.get("country_id")).get(1))));
    }
}

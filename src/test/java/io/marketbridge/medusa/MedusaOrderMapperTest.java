package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.medusa.MedusaConfig.PaidWhen;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.pipeline.PermanentFailure;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Medusa order as the one Odoo writer takes it, without Camel or HTTP. */
class MedusaOrderMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An order as GET /admin/orders shows it with the poller's fields (Medusa 2.21: major units, lower-case codes). */
    private static ObjectNode order() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"id":"order_01ABC","display_id":7,"status":"pending","payment_status":"captured","email":"Ann@Example.com",
                 "currency_code":"eur","customer_id":"cus_01XYZ","total":47.5,"updated_at":"2026-12-06T22:00:00.000Z",
                 "metadata":null,
                 "items":[{"id":"ordli_1","title":"M","product_title":"Linen shirt","variant_title":"M","variant_sku":"SHIRT-M",
                           "unit_price":19.99,"quantity":2},
                          {"id":"ordli_2","title":"Cap","product_title":"Cap","variant_title":null,"variant_sku":"CAP",
                           "unit_price":2.52,"quantity":1}],
                 "shipping_address":{"first_name":"Ann","last_name":"Lee","company":null,"address_1":"1 Main St",
                           "address_2":"","city":"Aarhus","postal_code":"8000","country_code":"dk","phone":"+45 1234"},
                 "shipping_methods":[{"id":"ordsm_1","name":"Standard","amount":5}]}
                """);
    }

    private static ChannelOrder map(JsonNode order) {
        return MedusaOrderMapper.toChannelOrder(order, "SHIPPING-MEDUSA", PaidWhen.CAPTURED);
    }

    @Test
    void anOrderBecomesAChannelOrderAtMedusasPrices() throws Exception {
        ChannelOrder order = map(order());

        assertEquals("medusa:order_01ABC", order.ref());
        assertEquals("medusa_customer_cus_01XYZ", order.buyer().ref());
        assertEquals(new ChannelOrder.Party("medusa_customer_cus_01XYZ", "Ann Lee", "Ann@Example.com", "+45 1234", "1 Main St", null,
                "Aarhus", "8000", "DK"), order.buyer());
        assertEquals(new ChannelOrder.Party(null, "Ann Lee", null, "+45 1234", "1 Main St", null, "Aarhus", "8000", "DK"), order.shipTo());
        assertEquals(2, order.lines().size());
        assertEquals(ChannelOrder.Line.bySku("ordli_1", "SHIRT-M", "Linen shirt M", 2, new BigDecimal("19.99")), order.lines().get(0));
        assertEquals(ChannelOrder.Line.bySku("ordli_2", "CAP", "Cap", 1, new BigDecimal("2.52")), order.lines().get(1));
        assertEquals("SHIPPING-MEDUSA", order.shippingSku());
        assertEquals("Standard", order.shippingName());
        assertEquals(0, new BigDecimal("5").compareTo(order.shipping()));
        assertEquals("EUR", order.currency());
        assertEquals(0, new BigDecimal("47.5").compareTo(order.total()));
        assertTrue(order.paid());
        assertFalse(order.cancelled());
        assertEquals("Medusa order #7", order.note());
    }

    @Test
    void aGuestIsKnownByEmailAndAnOrderWithoutShippingHasNoShippingLine() throws Exception {
        ObjectNode order = order();
        order.remove("customer_id");
        order.putArray("shipping_methods");
        order.remove("shipping_address");

        ChannelOrder mapped = map(order);
        assertEquals("medusa_email_ann@example.com", mapped.buyer().ref());
        assertEquals("Ann@Example.com", mapped.buyer().name());
        assertNull(mapped.shipTo());
        assertEquals(0, mapped.shipping().signum());
    }

    @Test
    void paidFollowsTheConfiguredPaymentStatus() throws Exception {
        ObjectNode order = order();
        order.put("payment_status", "authorized");
        assertFalse(map(order).paid(), "authorized is not paid by default");
        assertTrue(MedusaOrderMapper.toChannelOrder(order, "SHIPPING-MEDUSA", PaidWhen.AUTHORIZED).paid());
        order.put("payment_status", "not_paid");
        assertFalse(MedusaOrderMapper.toChannelOrder(order, "SHIPPING-MEDUSA", PaidWhen.AUTHORIZED).paid());
        order.put("payment_status", "captured");
        assertTrue(MedusaOrderMapper.toChannelOrder(order, "SHIPPING-MEDUSA", PaidWhen.AUTHORIZED).paid(), "captured is paid either way");
    }

    @Test
    void aCanceledOrderIsCancelled() throws Exception {
        ObjectNode order = order();
        order.put("status", "canceled");
        order.put("payment_status", "canceled");
        ChannelOrder mapped = map(order);
        assertTrue(mapped.cancelled());
        assertFalse(mapped.paid());
    }

    @Test
    void aLineWithoutSkuIsAPermanentFailureNamingTheLine() throws Exception {
        ObjectNode order = order();
        ((ObjectNode) order.path("items").path(1)).putNull("variant_sku");

        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> map(order));
        assertTrue(failure.getMessage().contains("Medusa order order_01ABC: line ordli_2 (Cap) has no variant SKU"), failure.getMessage());
    }

    @Test
    void anOrderWithNoCustomerNoEmailOrNoCurrencyIsAPermanentFailure() throws Exception {
        ObjectNode anonymous = order();
        anonymous.remove("customer_id");
        anonymous.putNull("email");
        assertTrue(assertThrows(PermanentFailure.class, () -> map(anonymous)).getMessage().contains("neither a customer_id nor an email"));

        ObjectNode noCurrency = order();
        noCurrency.remove("currency_code");
        assertTrue(assertThrows(PermanentFailure.class, () -> map(noCurrency)).getMessage().contains("no currency_code"));

        ObjectNode noItems = order();
        noItems.putArray("items");
        assertTrue(assertThrows(PermanentFailure.class, () -> map(noItems)).getMessage().contains("has no items"));
    }

    @Test
    void severalShippingMethodsMakeOneShippingLine() throws Exception {
        ObjectNode order = order();
        ObjectNode express = order.withArray("shipping_methods").addObject();
        express.put("id", "ordsm_2").put("name", "Express").put("amount", "7.25");

        ChannelOrder mapped = map(order);
        assertEquals("Standard, Express", mapped.shippingName());
        assertEquals(0, new BigDecimal("12.25").compareTo(mapped.shipping()));
    }
}

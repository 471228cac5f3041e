package io.marketbridge.ebay.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.model.ChannelOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eBay order (Fulfillment API) → channel order, with no Camel, HTTP or Odoo. */
class EbayOrderMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode order(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void aPaidOrderWithAPromotionADeliveryDiscountAndEbayCollectedTax() throws Exception {
        ChannelOrder order = EbayOrderMapper.toChannelOrder(order("""
                {'orderId': '12-345', 'orderPaymentStatus': 'PAID', 'cancelStatus': {'cancelState': 'NONE_REQUESTED'},
                 'buyer': {'username': 'ada.l'},
                 'pricingSummary': {'deliveryCost': {'value': '6.00', 'currency': 'USD'},
                                    'deliveryDiscount': {'value': '-2.50', 'currency': 'USD'},
                                    'total': {'value': '43.50', 'currency': 'USD'}},
                 'fulfillmentStartInstructions': [{'shippingStep': {'shipTo': {'fullName': 'Ada L', 'email': 'ada@example.com',
                     'primaryPhone': {'phoneNumber': '555'},
                     'contactAddress': {'addressLine1': '1 Road', 'city': 'Austin', 'postalCode': '73301', 'countryCode': 'US'}}}}],
                 'lineItems': [
                   {'lineItemId': 'L1', 'sku': 'MUG', 'title': 'Mug', 'quantity': 2,
                    'lineItemCost': {'value': '30.00'}, 'discountedLineItemCost': {'value': '24.00'},
                    'ebayCollectAndRemitTaxes': [{'amount': {'value': '1.36'}}]},
                   {'lineItemId': 'L2', 'sku': 'CUP', 'quantity': 3, 'lineItemCost': {'value': '16.00'}}]}
                """), "SHIPPING-EBAY");

        assertEquals("ebay:12-345", order.ref());
        assertEquals("eBay 12-345", order.origin());
        assertTrue(order.paid());
        assertFalse(order.cancelled());
        assertEquals("ebay_buyer_ada.l", order.buyer().ref());
        assertEquals("ada@example.com", order.buyer().email());
        assertNull(order.shipTo().email(), "the delivery contact carries no e-mail");
        assertEquals("1 Road", order.shipTo().street());
        assertEquals(2, order.lines().size());
        assertEquals(new BigDecimal("12.00"), order.lines().get(0).unitPrice(), "the promotion's price, per unit");
        assertEquals(new BigDecimal("5.33"), order.lines().get(1).unitPrice(), "16.00 for 3, to the cent");
        assertEquals("CUP", order.lines().get(1).name(), "no title: the SKU");
        assertEquals(new BigDecimal("3.50"), order.shipping(), "the delivery discount off the shipping");
        assertEquals("SHIPPING-EBAY", order.shippingSku());
        assertEquals("eBay collected and remitted 1.36 USD of tax on this order.", order.note());
    }

    @Test
    void aCancelledUnpaidOrderWithoutShipping() throws Exception {
        ChannelOrder order = EbayOrderMapper.toChannelOrder(order("""
                {'orderId': '99-1', 'orderPaymentStatus': 'PENDING', 'cancelStatus': {'cancelState': 'CANCELED'},
                 'pricingSummary': {'total': {'value': '5.00', 'currency': 'EUR'}},
                 'lineItems': [{'lineItemId': 'L1', 'sku': 'PEN', 'quantity': 1, 'lineItemCost': {'value': '5.00'}}]}
                """), "SHIP");

        assertTrue(order.cancelled());
        assertFalse(order.paid());
        assertEquals("ebay_buyer_99-1", order.buyer().ref(), "no username: keyed by the order");
        assertEquals(0, order.shipping().signum(), "no shipping line");
        assertNull(order.note());
        assertEquals(new BigDecimal("5.00"), order.total());
    }
}

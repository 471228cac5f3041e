package io.marketbridge.ebay.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.ebay.account.EbayAccountDeletion;
import io.marketbridge.model.ChannelOrder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * An eBay order (Fulfillment API {@code Order}) as a {@link ChannelOrder}: no I/O, no Odoo. Amounts are
 * what the buyer paid: a promotion's {@code discountedLineItemCost}, shipping less its
 * {@code deliveryDiscount}; the tax eBay collected and remits is noted, not added (docs/decisions.md).
 */
public final class EbayOrderMapper {

    static final String CHANNEL = "ebay";

    private EbayOrderMapper() {
    }

    public static ChannelOrder toChannelOrder(JsonNode order, String shippingSku) {
        String orderId = order.path("orderId").asText();
        JsonNode shipTo = order.path("fulfillmentStartInstructions").path(0).path("shippingStep").path("shipTo");
        JsonNode address = shipTo.path("contactAddress");
        String username = order.path("buyer").path("username").asText(orderId);
        ChannelOrder.Party buyer = new ChannelOrder.Party(EbayAccountDeletion.BUYER_KEY + username, text(shipTo, "fullName"), text(shipTo, "email"),
                text(shipTo.path("primaryPhone"), "phoneNumber"), text(address, "addressLine1"), text(address, "addressLine2"),
                text(address, "city"), text(address, "postalCode"), text(address, "countryCode"));
        // the ship-to is also the buyer's delivery contact; the invoice address stays the buyer's
        ChannelOrder.Party contact = new ChannelOrder.Party(null, buyer.name(), null, buyer.phone(), buyer.street(), buyer.street2(),
                buyer.city(), buyer.zip(), buyer.countryCode());

        List<ChannelOrder.Line> lines = new ArrayList<>();
        BigDecimal collectedTax = BigDecimal.ZERO;
        for (JsonNode line : order.path("lineItems")) {
            String sku = line.path("sku").asText();
            int quantity = Math.max(1, line.path("quantity").asInt(1));
            // both costs are the line's extended amount, not the unit price; a promotion gives the discounted one
            JsonNode cost = line.has("discountedLineItemCost") ? line.path("discountedLineItemCost") : line.path("lineItemCost");
            lines.add(ChannelOrder.Line.bySku(line.path("lineItemId").asText(), sku, line.path("title").asText(sku), quantity,
                    amount(cost).divide(BigDecimal.valueOf(quantity), 2, RoundingMode.HALF_UP)));
            for (JsonNode tax : line.path("ebayCollectAndRemitTaxes")) {
                collectedTax = collectedTax.add(amount(tax.path("amount")));
            }
        }
        JsonNode pricing = order.path("pricingSummary");
        // deliveryDiscount is negative (per the contract); its size is taken off the shipping
        BigDecimal shipping = amount(pricing.path("deliveryCost")).subtract(amount(pricing.path("deliveryDiscount")).abs())
                .max(BigDecimal.ZERO);
        String currency = pricing.path("total").path("currency").asText("");
        String note = collectedTax.signum() > 0
                ? "eBay collected and remitted " + collectedTax.toPlainString() + " " + currency + " of tax on this order." : null;
        return new ChannelOrder(CHANNEL, "eBay", orderId, buyer, contact, lines, shippingSku, "eBay shipping", shipping, currency,
                amount(pricing.path("total")), "PAID".equals(order.path("orderPaymentStatus").asText()),
                "CANCELED".equals(order.path("cancelStatus").path("cancelState").asText()), note,
                order.path("orderPaymentStatus").asText() + "/" + order.path("orderFulfillmentStatus").asText(), null, null);
    }

    private static BigDecimal amount(JsonNode money) {
        String value = money.path("value").asText("0");
        return value.isBlank() ? BigDecimal.ZERO : new BigDecimal(value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}

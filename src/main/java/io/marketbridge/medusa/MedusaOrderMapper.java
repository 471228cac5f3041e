package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.medusa.MedusaConfig.PaidWhen;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.pipeline.PermanentFailure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Medusa v2 order (as {@code GET /admin/orders} shows it with {@link MedusaOrderPoller#FIELDS}) as a
 * {@link ChannelOrder}: no I/O, no Odoo. Medusa's amounts are in major units and per unit ({@code unit_price});
 * the buyer is the Medusa customer (or, for a guest, the order's email), named and reached at the shipping
 * address, which is also the delivery contact.
 */
public final class MedusaOrderMapper {

    static final String CHANNEL = "medusa";
    static final String CUSTOMER_KEY = "medusa_customer_";
    static final String EMAIL_KEY = "medusa_email_";
    /** Payment statuses that mean the money was taken (a later refund does not undo the sale here; a cancel does). */
    private static final Set<String> CAPTURED = Set.of("captured", "partially_refunded", "refunded");
    private static final Set<String> AUTHORIZED = Set.of("authorized", "partially_captured");

    private MedusaOrderMapper() {
    }

    public static ChannelOrder toChannelOrder(JsonNode order, String shippingSku, PaidWhen paidWhen) {
        String orderId = order.path("id").asText("");
        if (orderId.isEmpty()) {
            throw new PermanentFailure(CHANNEL, "a Medusa order without an id: " + abbreviate(order.toString()));
        }
        String described = "Medusa order " + orderId;
        JsonNode address = order.path("shipping_address");
        String email = text(order, "email");
        String customerId = text(order, "customer_id");
        String ref;
        if (customerId != null) {
            ref = CUSTOMER_KEY + customerId;
        } else if (email != null) {
            ref = EMAIL_KEY + email.toLowerCase(Locale.ROOT);
        } else {
            throw new PermanentFailure(CHANNEL, described + " has neither a customer_id nor an email: no customer to sell to in Odoo");
        }
        String name = join(text(address, "first_name"), text(address, "last_name"));
        if (name == null) {
            name = text(address, "company") != null ? text(address, "company") : email != null ? email : ref;
        }
        String country = text(address, "country_code");
        country = country == null ? null : country.toUpperCase(Locale.ROOT);
        ChannelOrder.Party buyer = new ChannelOrder.Party(ref, name, email, text(address, "phone"), text(address, "address_1"),
                text(address, "address_2"), text(address, "city"), text(address, "postal_code"), country);
        ChannelOrder.Party shipTo = address.isObject()
                ? new ChannelOrder.Party(null, name, null, buyer.phone(), buyer.street(), buyer.street2(), buyer.city(), buyer.zip(), country)
                : null;

        List<ChannelOrder.Line> lines = new ArrayList<>();
        for (JsonNode item : order.path("items")) {
            String lineId = item.path("id").asText("");
            String sku = text(item, "variant_sku");
            String title = join(text(item, "product_title"), text(item, "variant_title"));
            title = title != null ? title : text(item, "title");
            if (sku == null) {
                throw new PermanentFailure(CHANNEL, described + ": line " + lineId + " (" + (title == null ? "no title" : title)
                        + ") has no variant SKU, so Odoo cannot know its product; give the variant a SKU in Medusa"
                        + " (or add the line in Odoo by hand), then replay this dead letter");
            }
            if (!item.hasNonNull("unit_price")) {
                throw new PermanentFailure(CHANNEL, described + ": line " + lineId + " has no unit_price (was it asked for in fields=?)");
            }
            BigDecimal unitPrice = amount(item.path("unit_price"), described + ": line " + lineId + " unit_price");
            int quantity = item.path("quantity").asInt(0);
            if (quantity <= 0) {
                throw new PermanentFailure(CHANNEL, described + ": line " + lineId + " has quantity '" + item.path("quantity").asText() + "'");
            }
            lines.add(ChannelOrder.Line.bySku(lineId, sku, title == null ? sku : title, quantity, unitPrice));
        }
        if (lines.isEmpty()) {
            throw new PermanentFailure(CHANNEL, described + " has no items (were they asked for in fields=?)");
        }

        BigDecimal shipping = BigDecimal.ZERO;
        List<String> methods = new ArrayList<>();
        for (JsonNode method : order.path("shipping_methods")) {
            shipping = shipping.add(amount(method.path("amount"), described + ": shipping method " + method.path("id").asText() + " amount"));
            if (text(method, "name") != null) {
                methods.add(text(method, "name"));
            }
        }
        String shippingName = methods.isEmpty() ? "Medusa shipping" : String.join(", ", methods);
        String currency = text(order, "currency_code");
        if (currency == null) {
            throw new PermanentFailure(CHANNEL, described + " has no currency_code");
        }
        String payment = order.path("payment_status").asText("");
        boolean paid = CAPTURED.contains(payment) || (paidWhen == PaidWhen.AUTHORIZED && AUTHORIZED.contains(payment));
        BigDecimal total = amount(order.path("total"), described + " total");
        String displayId = text(order, "display_id");
        return new ChannelOrder(CHANNEL, "Medusa", orderId, buyer, shipTo, lines, shippingSku, shippingName, shipping,
                currency.toUpperCase(Locale.ROOT), total, paid, "canceled".equals(order.path("status").asText()),
                displayId == null ? null : "Medusa order #" + displayId, order.path("status").asText() + "/" + payment, null, null);
    }

    /** Medusa writes amounts as JSON numbers (major units); a string is read too, as its BigNumber may serialise so. */
    private static BigDecimal amount(JsonNode value, String what) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (value.isMissingNode() || value.isNull()) {
            return BigDecimal.ZERO;
        }
        throw new PermanentFailure(CHANNEL, what + " is not an amount: " + abbreviate(value.toString()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isNull() || value.isMissingNode() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static String join(String first, String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + " " + second;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}

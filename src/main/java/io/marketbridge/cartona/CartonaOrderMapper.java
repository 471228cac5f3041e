package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.cartona.CartonaConfig.ProductKey;
import io.marketbridge.model.ChannelOrder;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Cartona order as a {@link ChannelOrder} (shared/docs/protocols/cartona.md, "Order payload"): the retailer is the
 * customer ({@code retailer_<retailer_code>}, its address with its notes), each line names the product by
 * {@code internal_product_id} as the catalog push keys it, at Cartona's per-piece {@code selling_price} (after
 * discounts), and the delivery day becomes the commitment date. Cartona orders carry no delivery fee.
 * <p>
 * {@link #problems} says what makes an order unusable, so a webhook answers 400 with it and stores nothing.
 * UNCONFIRMED (Cartona publishes no reference): the payload's shape beyond the fields named above, {@code delivery_day}
 * as an ISO date (or date-time), and the currency (Cartona states none: {@code marketbridge.cartona.orders} has none
 * either, the order is in the company currency).
 */
public final class CartonaOrderMapper {

    public static final String CHANNEL = "cartona";
    /** What the retailer's partner is known by in Odoo: its {@code ref} and external id. */
    public static final String RETAILER_KEY = "retailer_";
    /** The statuses that mean the order is agreed (the supplier approved it, or it is under way): confirmed in Odoo. */
    static final Set<String> AGREED = Set.of("approved", "assigned_to_salesman", "delivered");

    private CartonaOrderMapper() {
    }

    /** What is wrong with the order, empty when it can be mapped. */
    public static List<String> problems(JsonNode order, ProductKey productKey) {
        List<String> problems = new ArrayList<>();
        if (order == null || !order.isObject()) {
            return List.of("an order must be a JSON object");
        }
        String hashedId = text(order, "hashed_id");
        if (hashedId.isEmpty()) {
            problems.add("hashed_id is required");
        } else if (!hashedId.matches("[A-Za-z0-9_-]{1,128}")) {
            problems.add("hashed_id '" + hashedId + "' is not an order id (letters, digits, _ and -)");
        }
        if (text(order, "status").isEmpty()) {
            problems.add("status is required");
        }
        if (text(order.path("retailer"), "retailer_code").isEmpty()) {
            problems.add("retailer.retailer_code is required");
        }
        JsonNode details = order.path("order_details");
        if (!details.isArray() || details.isEmpty()) {
            problems.add("order_details must list at least one line");
        }
        for (int i = 0; i < details.size(); i++) {
            JsonNode line = details.get(i);
            String product = text(line, "internal_product_id");
            if (product.isEmpty()) {
                problems.add("order_details[" + i + "].internal_product_id is required");
            } else if (productKey == ProductKey.ODOO_VARIANT_ID && !product.matches("\\d{1,18}")) {
                problems.add("order_details[" + i + "].internal_product_id '" + product + "' is not an Odoo variant id"
                        + " (marketbridge.cartona.product-key=odoo-variant-id)");
            }
            if (amount(line) == null) {
                problems.add("order_details[" + i + "].amount must be a whole number, 0 or more");
            }
            if (price(line) == null) {
                problems.add("order_details[" + i + "].selling_price must be an amount");
            }
        }
        String day = text(order, "delivery_day");
        if (!day.isEmpty() && deliveryDate(day) == null) {
            problems.add("delivery_day '" + day + "' is not a date (YYYY-MM-DD)");
        }
        return problems;
    }

    /** The order as the Odoo sale-order writer takes it; {@code account} is the supplier account it came through. */
    public static ChannelOrder toChannelOrder(JsonNode order, String account, ProductKey productKey) {
        List<String> problems = problems(order, productKey);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cartona order " + text(order, "hashed_id") + ": " + String.join("; ", problems));
        }
        String hashedId = text(order, "hashed_id");
        JsonNode retailer = order.path("retailer");
        String code = text(retailer, "retailer_code");
        ChannelOrder.Party customer = new ChannelOrder.Party(RETAILER_KEY + code, orNull(text(retailer, "retailer_name"), "Cartona retailer " + code),
                null, orNull(text(retailer, "retailer_number"), null), orNull(text(retailer, "retailer_address"), null),
                orNull(text(retailer, "address_notes"), null), null, null, null);
        List<ChannelOrder.Line> lines = new ArrayList<>();
        for (JsonNode line : order.path("order_details")) {
            int amount = amount(line);
            if (amount == 0) {
                continue; // a line the retailer or the supplier took out while editing
            }
            String product = text(line, "internal_product_id");
            String lineId = orNull(text(line, "id"), product);
            String name = orNull(text(line, "product_name"), product);
            lines.add(productKey == ProductKey.ODOO_VARIANT_ID
                    ? ChannelOrder.Line.byOdooId(lineId, Long.parseLong(product), name, amount, price(line))
                    : ChannelOrder.Line.bySku(lineId, product, name, amount, price(line)));
        }
        String status = text(order, "status");
        String comment = order.path("order_details").findValuesAsText("comment").stream().filter(c -> !c.isBlank()).reduce((a, b) -> a + "; " + b)
                .map(c -> "Retailer's comments: " + c).orElse(null);
        return new ChannelOrder(CHANNEL, "Cartona", hashedId, customer, null, lines, null, null, BigDecimal.ZERO, null,
                decimal(order.path("total_price")), AGREED.contains(status), status.startsWith("cancelled"), comment, status, account,
                deliveryDate(text(order, "delivery_day")));
    }

    private static LocalDate deliveryDate(String day) {
        if (day.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(day.length() > 10 && day.charAt(10) == 'T' ? day.substring(0, 10) : day);
        } catch (DateTimeParseException notDate) {
            try {
                return OffsetDateTime.parse(day).toLocalDate();
            } catch (DateTimeParseException notDateTime) {
                return null;
            }
        }
    }

    private static BigDecimal price(JsonNode line) {
        BigDecimal price = decimal(line.path("selling_price"));
        return price == null || price.signum() < 0 ? null : price;
    }

    private static BigDecimal decimal(JsonNode value) {
        if (!value.isNumber() && !value.isTextual()) {
            return null;
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The pieces ordered: a whole number, 0 or more, as a number or as text; null otherwise. */
    private static Integer amount(JsonNode line) {
        JsonNode value = line.path("amount");
        if (value.isIntegralNumber() && value.canConvertToInt() || value.isTextual() && value.asText().trim().matches("\\d{1,9}")) {
            int amount = value.asInt(-1);
            return amount >= 0 ? amount : null;
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? "" : value.asText().trim();
    }

    private static String orNull(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}

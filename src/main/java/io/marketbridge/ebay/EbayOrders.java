package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.odoo.OdooCatalog;
import io.marketbridge.odoo.OdooClient;
import io.marketbridge.odoo.OdooPartners;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * eBay order → Odoo sale order, keyed {@code client_order_ref = ebay:<orderId>} and looked up
 * before anything is created, so a replay or the same order from a notification and a poll never
 * makes a second one. Confirmed when eBay says PAID; cancelled when eBay says CANCELED.
 */
@Singleton
@Named("ebayOrderImport")
public class EbayOrderImport {

    private static final Logger LOG = Logger.getLogger(EbayOrderImport.class);
    /** Clears the line's taxes (x2many "replace with none"), so Odoo adds no default tax to an eBay price. */
    private static final List<Object> NO_TAXES = List.of(List.of(6, 0, List.of()));

    private final OdooClient odoo;
    private final EbayApi ebay;
    private final OdooCatalog catalog;
    private final OdooPartners partners;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final String shippingSku;
    private final Object[] locks = new Object[64];
    private volatile Long shippingProduct;

    EbayOrderImport(OdooClient odoo, EbayApi ebay, OdooCatalog catalog, OdooPartners partners, ObjectMapper json,
            MeterRegistry metrics, MarketbridgeConfig config) {
        this.odoo = odoo;
        this.ebay = ebay;
        this.catalog = catalog;
        this.partners = partners;
        this.json = json;
        this.metrics = metrics;
        this.shippingSku = config.ebay().orders().shippingSku();
        Arrays.setAll(locks, i -> new Object());
    }

    /** An order event from the poller: the whole order as getOrders returned it. */
    public void upsert(InboxEvent event) {
        upsert(read(event));
    }

    /**
     * A Platform Notification about a sale (FixedPriceTransaction, AuctionCheckoutComplete): it can
     * describe a single line of a multi-line order, so the full order is fetched by id first.
     */
    public void fetchAndUpsert(InboxEvent event) {
        EbayNotification notification;
        try {
            notification = json.readValue(event.payload(), EbayNotification.class);
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable notification " + event.key() + ": " + e.getMessage(), e);
        }
        String orderId = notification.orderId();
        if ((orderId == null || orderId.isBlank()) && notification.raw() != null && notification.raw().startsWith("{")) {
            // a Commerce notification keeps (the ids of) its data: a replay looks again wherever eBay put the id
            try {
                orderId = EbayCommerceNotifications.orderIdIn(json.readTree(notification.raw()).path("notification").path("data"));
            } catch (IOException e) {
                throw new PermanentFailure("ebay", "unreadable notification " + event.key() + ": " + e.getMessage(), e);
            }
        }
        if (orderId == null || orderId.isBlank()) {
            throw new PermanentFailure("ebay", event.type() + " " + event.key() + " names no order (ContainingOrder/OrderID, data.order.orderId)");
        }
        JsonNode orders = ebay.get("/sell/fulfillment/v1/order?orderIds=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8))
                .path("orders");
        if (orders.isEmpty()) {
            // eBay can notify before the order is readable: try again shortly
            throw new TransientFailure("ebay", "order " + orderId + " is not in getOrders yet", Duration.ofSeconds(30), null);
        }
        orders.forEach(this::upsert);
    }

    private void upsert(JsonNode order) {
        String orderId = order.path("orderId").asText();
        String ref = "ebay:" + orderId;
        synchronized (locks[Math.floorMod(orderId.hashCode(), locks.length)]) {
            List<JsonNode> existing = odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "=", ref)),
                    List.of("state"), 1, "id asc", null);
            if (existing.isEmpty()) {
                create(order, ref);
            } else {
                followState(order, existing.get(0).get("id").asLong(), existing.get(0).path("state").asText());
            }
        }
    }

    private void create(JsonNode order, String ref) {
        String orderId = order.path("orderId").asText();
        JsonNode shipTo = order.path("fulfillmentStartInstructions").path(0).path("shippingStep").path("shipTo");
        JsonNode address = shipTo.path("contactAddress");
        String username = order.path("buyer").path("username").asText(orderId);
        Map<String, Object> buyer = new LinkedHashMap<>();
        buyer.put("name", text(shipTo, "fullName"));
        buyer.put("email", text(shipTo, "email"));
        buyer.put("phone", text(shipTo.path("primaryPhone"), "phoneNumber"));
        buyer.put("street", text(address, "addressLine1"));
        buyer.put("street2", text(address, "addressLine2"));
        buyer.put("city", text(address, "city"));
        buyer.put("zip", text(address, "postalCode"));
        buyer.put("country_code", text(address, "countryCode"));
        // the ship-to also becomes the buyer's delivery contact; the invoice address stays the buyer
        Map<String, Object> shipToContact = new LinkedHashMap<>(buyer);
        shipToContact.remove("email");
        OdooPartners.Customer customer = partners.ensureWithDeliveryContact("ebay_buyer_" + username,
                OdooCatalog.externalIdName("ebay_buyer_", username), buyer, shipToContact);
        long partner = customer.partner();

        JsonNode pricing = order.path("pricingSummary");
        // deliveryDiscount is negative (per the contract); its size is taken off the shipping line
        BigDecimal shipping = amount(pricing.path("deliveryCost")).subtract(amount(pricing.path("deliveryDiscount")).abs()).max(BigDecimal.ZERO);
        Set<String> skus = new LinkedHashSet<>();
        order.path("lineItems").forEach(line -> skus.add(line.path("sku").asText()));
        Map<String, OdooCatalog.Product> products = catalog.productsBySku(skus);
        // prices as the buyer paid them, tax apart: eBay collects and remits the sales tax, so Odoo's
        // default taxes must not be added on top (docs/decisions.md)
        String taxes = odoo.version().saleLineTaxes();
        List<Object> lines = new ArrayList<>();
        BigDecimal ebayCollectedTax = BigDecimal.ZERO;
        for (JsonNode line : order.path("lineItems")) {
            String sku = line.path("sku").asText();
            OdooCatalog.Product product = products.get(sku);
            if (product == null) {
                throw new PermanentFailure("odoo", "eBay order " + orderId + ": line " + line.path("lineItemId").asText()
                        + " has SKU '" + sku + "', which Odoo does not know; create the product, then replay this dead letter");
            }
            int quantity = Math.max(1, line.path("quantity").asInt(1));
            // both costs are the line's extended amount, not the unit price; a promotion gives the discounted one
            JsonNode cost = line.has("discountedLineItemCost") ? line.path("discountedLineItemCost") : line.path("lineItemCost");
            BigDecimal unit = amount(cost).divide(BigDecimal.valueOf(quantity), 2, RoundingMode.HALF_UP);
            lines.add(List.of(0, 0, Map.of("product_id", product.id(), "product_uom_qty", quantity, "price_unit", unit,
                    "name", line.path("title").asText(sku), taxes, NO_TAXES)));
            for (JsonNode tax : line.path("ebayCollectAndRemitTaxes")) {
                ebayCollectedTax = ebayCollectedTax.add(amount(tax.path("amount")));
            }
        }
        if (shipping.signum() > 0) {
            lines.add(List.of(0, 0, Map.of("product_id", shippingProduct(), "product_uom_qty", 1, "price_unit", shipping,
                    "name", "eBay shipping", taxes, NO_TAXES)));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("partner_id", partner);
        customer.deliveryContact().ifPresent(contact -> values.put("partner_shipping_id", contact));
        values.put("client_order_ref", ref);
        values.put("origin", "eBay " + orderId);
        values.put("order_line", lines);
        if (ebayCollectedTax.signum() > 0) {
            values.put("note", "eBay collected and remitted " + ebayCollectedTax.toPlainString() + " "
                    + pricing.path("total").path("currency").asText("") + " of tax on this order.");
        }
        long saleOrder = odoo.createOne("sale.order", values, null);
        catalog.ensureExternalId(OdooCatalog.externalIdName("ebay_order_", orderId), "sale.order", saleOrder, true);
        followState(order, saleOrder, "draft");
        metrics.counter("marketbridge.ebay.orders.imported", "action", "created").increment();
        LOG.infof("eBay order %s -> Odoo sale order %d (%d line(s))", orderId, saleOrder, lines.size());
    }

    /** PAID confirms a draft; CANCELED cancels an order that is not done (delivered). */
    private void followState(JsonNode order, long saleOrder, String state) {
        String cancel = order.path("cancelStatus").path("cancelState").asText();
        if ("CANCELED".equals(cancel)) {
            if (!"cancel".equals(state) && !"done".equals(state)) {
                cancel(order.path("orderId").asText(), saleOrder);
            }
            return;
        }
        if ("PAID".equals(order.path("orderPaymentStatus").asText()) && ("draft".equals(state) || "sent".equals(state))) {
            odoo.call("sale.order", "action_confirm", List.of(saleOrder), Map.of());
            metrics.counter("marketbridge.ebay.orders.imported", "action", "confirmed").increment();
        }
    }

    /**
     * Odoo 16 to 18 answer a confirmed order's cancel with the cancel wizard (and cancel nothing) unless
     * the context disables that warning; a locked order is refused. Only the state read back says it worked.
     */
    private void cancel(String orderId, long saleOrder) {
        JsonNode answer = odoo.call("sale.order", "action_cancel", List.of(saleOrder), Map.of("context", Map.of("disable_cancel_warning", true)));
        List<JsonNode> after = odoo.searchRead("sale.order", List.of(List.of("id", "=", saleOrder)), List.of("state"), 1, null, null);
        String state = after.isEmpty() ? "missing" : after.get(0).path("state").asText();
        if (!"cancel".equals(state)) {
            throw new PermanentFailure("odoo", "eBay order " + orderId + " was cancelled, but Odoo did not cancel sale order " + saleOrder
                    + " (state " + state + (answer.isObject() ? ", it answered with the " + answer.path("res_model").asText("an") + " dialog" : "")
                    + "): cancel it in Odoo, then replay this dead letter");
        }
        metrics.counter("marketbridge.ebay.orders.imported", "action", "cancelled").increment();
    }

    /** The shipping service product, created once if the catalog has none. */
    private long shippingProduct() {
        Long known = shippingProduct;
        if (known == null) {
            OdooCatalog.Product product = catalog.productsBySku(List.of(shippingSku)).get(shippingSku);
            known = product != null ? product.id()
                    : odoo.createOne("product.product", Map.of("name", "eBay shipping", "default_code", shippingSku,
                            "type", "service", "sale_ok", true, "list_price", 0), null);
            shippingProduct = known;
        }
        return known;
    }

    private static BigDecimal amount(JsonNode money) {
        String value = money.path("value").asText("0");
        return value.isBlank() ? BigDecimal.ZERO : new BigDecimal(value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private JsonNode read(InboxEvent event) {
        try {
            return json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable order event " + event.key() + ": " + e.getMessage(), e);
        }
    }
}

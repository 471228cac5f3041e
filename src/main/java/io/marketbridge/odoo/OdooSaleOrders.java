package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.pipeline.Decision;
import io.marketbridge.pipeline.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one writer of Odoo sale orders, for every channel: {@link #upsert} makes the sale order of a
 * {@link ChannelOrder} once (looked up by {@code client_order_ref} first, so a replay or the same
 * order from a notification and a poll never makes a second), with the customer and its delivery
 * contact, the lines by SKU in one lookup and a shipping line; {@link #confirm} and {@link #cancel}
 * are the actions a route chooses from the channel's state.
 */
@Singleton
@Named("odooSaleOrders")
public class OdooSaleOrders {

    /** The exchange property {@link #upsert} leaves for the actions that follow it in the route. */
    public static final String SALE_ORDER = "odooSaleOrder";
    /** The exchange property a route sets to the text {@link #postNote} posts. */
    public static final String NOTE = "odooNote";

    private static final Logger LOG = Logger.getLogger(OdooSaleOrders.class);
    /** Clears the line's taxes (x2many "replace with none"): the channel's price is what the buyer paid. */
    private static final List<Object> NO_TAXES = List.of(List.of(6, 0, List.of()));

    private final OdooClient odoo;
    private final OdooCatalog catalog;
    private final OdooPartners partners;
    private final MeterRegistry metrics;
    private final Object[] locks = new Object[64];
    /**
     * The states this writer last gave sale orders: two events of one order (a notification and a
     * poll) may both find it a quotation, and only the first may confirm it. Bounded: an older order's
     * state is read from Odoo again.
     */
    private final Map<Long, String> statesSet = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > 10_000;
        }
    });
    private final Map<String, Long> shippingProducts = new ConcurrentHashMap<>();
    private final Map<String, Long> tags = new ConcurrentHashMap<>();

    OdooSaleOrders(OdooClient odoo, OdooCatalog catalog, OdooPartners partners, MeterRegistry metrics) {
        this.odoo = odoo;
        this.catalog = catalog;
        this.partners = partners;
        this.metrics = metrics;
        Arrays.setAll(locks, i -> new Object());
    }

    /**
     * The sale order of a channel order: its id, its state as it was before the route's action, its name
     * ({@code S00042}) when it was read (null for one just made: {@link #name} reads it when a route needs it), and
     * whether {@link #upsert} made it just now (a route may update an order that was there already).
     */
    public record SaleOrder(long id, String state, String name, boolean made) {
    }

    /** Finds or makes the sale order; leaves it in the {@value #SALE_ORDER} property, the channel order stays the body. */
    public void upsert(ChannelOrder order, Exchange exchange) {
        SaleOrder saleOrder;
        synchronized (lockFor(order)) {
            List<JsonNode> existing = odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "=", order.ref())),
                    List.of("state", "name"), 1, "id asc", null);
            saleOrder = existing.isEmpty() ? create(order)
                    : new SaleOrder(existing.get(0).get("id").asLong(), existing.get(0).path("state").asText(),
                            existing.get(0).path("name").asText(null), false);
            statesSet.put(saleOrder.id(), saleOrder.state());
        }
        exchange.setProperty(SALE_ORDER, saleOrder);
    }

    /**
     * The sale order's name ({@code S00042}) as people see it in Odoo, for a channel that shows it: read from Odoo
     * only when {@link #upsert} just made the order (so channels that do not ask pay no call).
     */
    public String name(@ExchangeProperty(SALE_ORDER) SaleOrder saleOrder) {
        if (saleOrder.name() != null && !saleOrder.name().isEmpty()) {
            return saleOrder.name();
        }
        List<JsonNode> found = odoo.searchRead("sale.order", List.of(List.of("id", "=", saleOrder.id())), List.of("name"), 1, null, null);
        if (found.isEmpty() || found.get(0).path("name").asText("").isEmpty()) {
            throw new PermanentFailure("odoo", "sale order " + saleOrder.id() + " has no name in Odoo (deleted meanwhile?)");
        }
        return found.get(0).path("name").asText();
    }

    /** Confirms a quotation (draft or sent); a confirmed, locked or cancelled order is left as it is. */
    public void confirm(ChannelOrder order, @ExchangeProperty(SALE_ORDER) SaleOrder saleOrder) {
        synchronized (lockFor(order)) {
            String state = statesSet.getOrDefault(saleOrder.id(), saleOrder.state());
            if ("draft".equals(state) || "sent".equals(state)) {
                odoo.call("sale.order", "action_confirm", List.of(saleOrder.id()), Map.of());
                statesSet.put(saleOrder.id(), "sale");
                count(order, "confirmed");
            }
        }
    }

    /**
     * Cancels an order that is not cancelled or done. Odoo 16 to 18 answer a confirmed order's cancel
     * with the cancel wizard (and cancel nothing) unless the context disables that warning, and a
     * locked order is refused: only the state read back says it worked.
     */
    public void cancel(ChannelOrder order, @ExchangeProperty(SALE_ORDER) SaleOrder saleOrder) {
        synchronized (lockFor(order)) {
            String state = statesSet.getOrDefault(saleOrder.id(), saleOrder.state());
            if (!"cancel".equals(state) && !"done".equals(state)) {
                cancelNow(order, saleOrder);
                statesSet.put(saleOrder.id(), "cancel");
            }
        }
    }

    /** Posts the route's {@value #NOTE} in the sale order's chatter, where the people working the order see it. */
    public void postNote(@ExchangeProperty(SALE_ORDER) SaleOrder saleOrder, @ExchangeProperty(NOTE) String note) {
        odoo.postNote("sale.order", saleOrder.id(), note);
    }

    /** The same on a sale order named by its id, for a route that has no {@value #SALE_ORDER} (a status sent back). */
    public void postNoteOn(long saleOrderId, @ExchangeProperty(NOTE) String note) {
        odoo.postNote("sale.order", saleOrderId, note);
    }

    private void cancelNow(ChannelOrder order, SaleOrder saleOrder) {
        String refusal;
        try {
            JsonNode answer = odoo.call("sale.order", "action_cancel", List.of(saleOrder.id()),
                    Map.of("context", Map.of("disable_cancel_warning", true)));
            refusal = answer.isObject() ? "it answered with the " + answer.path("res_model").asText("an") + " dialog" : null;
        } catch (PermanentFailure refused) { // a locked order: Odoo's UserError
            refusal = refused.getMessage();
        }
        List<JsonNode> after = odoo.searchRead("sale.order", List.of(List.of("id", "=", saleOrder.id())), List.of("state"), 1, null, null);
        String state = after.isEmpty() ? "missing" : after.get(0).path("state").asText();
        if (!"cancel".equals(state)) {
            throw new PermanentFailure("odoo", order.describe() + " was cancelled, but Odoo did not cancel sale order " + saleOrder.id()
                    + " (state " + state + (refusal == null ? "" : "; " + refusal) + "): cancel it in Odoo (unlock it first if it is"
                    + " locked) or agree otherwise with the customer, then replay this dead letter",
                    null, new Decision("sale.order", saleOrder.id(), "Cancelled on " + order.channelName() + ": cancel it here or agree otherwise"));
        }
        count(order, "cancelled");
    }

    private SaleOrder create(ChannelOrder order) {
        OdooPartners.Customer customer = partners.ensureWithDeliveryContact(order.buyer().ref(),
                OdooCatalog.externalIdName("", order.buyer().ref()), values(order.buyer()), order.shipTo() == null ? Map.of() : values(order.shipTo()));
        // a product Odoo does not know: the customer's record is where a person finds what to create
        List<Object> lines = lineCommands(order, "res.partner", customer.partner());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("partner_id", customer.partner());
        customer.deliveryContact().ifPresent(contact -> values.put("partner_shipping_id", contact));
        values.put("client_order_ref", order.ref());
        values.put("origin", order.origin());
        values.put("order_line", lines);
        if (order.note() != null) {
            values.put("note", order.note());
        }
        if (order.deliveryDate() != null) {
            // a day, not an instant: noon UTC is that day in every time zone from UTC-11 to UTC+11
            values.put("commitment_date", order.deliveryDate() + " 12:00:00");
        }
        if (order.account() != null) {
            values.put("tag_ids", List.of(List.of(6, 0, List.of(tag(order.channelName() + " " + order.account())))));
        }
        long id = odoo.createOne("sale.order", values, null);
        catalog.ensureExternalId(OdooCatalog.externalIdName(order.channel() + "_order_", order.orderId()), "sale.order", id, true);
        count(order, "created");
        LOG.infof("%s -> Odoo sale order %d (%d line(s))", order.describe(), id, lines.size());
        return new SaleOrder(id, "draft", null, true);
    }

    /**
     * The order's lines as sale order line creations: its products in one lookup (by SKU or by Odoo id), then shipping.
     * A product Odoo does not know is a decision for a person, on the Odoo record {@code model}/{@code recordId}.
     */
    private List<Object> lineCommands(ChannelOrder order, String model, long recordId) {
        Set<String> skus = new LinkedHashSet<>();
        Set<Long> ids = new LinkedHashSet<>();
        order.lines().forEach(line -> {
            if (line.odooProductId() != null) {
                ids.add(line.odooProductId());
            } else {
                skus.add(line.sku());
            }
        });
        Map<String, OdooCatalog.Product> bySku = catalog.productsBySku(skus);
        Map<Long, OdooCatalog.Product> byId = catalog.productsById(ids);
        String taxes = odoo.version().saleLineTaxes();
        List<Object> lines = new ArrayList<>();
        for (ChannelOrder.Line line : order.lines()) {
            OdooCatalog.Product product = line.odooProductId() != null ? byId.get(line.odooProductId()) : bySku.get(line.sku());
            if (product == null) {
                throw new PermanentFailure("odoo", order.describe() + ": line " + line.lineId() + " names " + line.product()
                        + ", which Odoo does not know; create the product, then replay this dead letter", null,
                        new Decision(model, recordId, "Create " + line.product() + " for " + order.describe()));
            }
            lines.add(List.of(0, 0, Map.of("product_id", product.id(), "product_uom_qty", line.quantity(), "price_unit", line.unitPrice(),
                    "name", line.name(), taxes, NO_TAXES)));
        }
        if (order.shipping().signum() > 0) {
            lines.add(List.of(0, 0, Map.of("product_id", shippingProduct(order), "product_uom_qty", 1, "price_unit", order.shipping(),
                    "name", order.shippingName(), taxes, NO_TAXES)));
        }
        return lines;
    }

    /**
     * The lines of a quotation that was there already, as the channel has them now (an order edited on the channel):
     * replaced when they differ (product, quantity or price). A confirmed order is left as it is: from its
     * confirmation on, Odoo's lines are the truth.
     */
    public void updateLines(ChannelOrder order, @ExchangeProperty(SALE_ORDER) SaleOrder saleOrder) {
        synchronized (lockFor(order)) {
            String state = statesSet.getOrDefault(saleOrder.id(), saleOrder.state());
            if (!"draft".equals(state) && !"sent".equals(state)) {
                return; // confirmed: Odoo's lines are the truth from here on
            }
            List<Object> wanted = lineCommands(order, "sale.order", saleOrder.id());
            List<String> now = new ArrayList<>();
            for (JsonNode line : odoo.searchRead("sale.order.line", List.of(List.of("order_id", "=", saleOrder.id())),
                    List.of("product_id", "product_uom_qty", "price_unit"), null, "id asc", null)) {
                now.add(lineKey(line.path("product_id").path(0).asLong(), line.path("product_uom_qty").decimalValue(),
                        line.path("price_unit").decimalValue()));
            }
            List<String> then = new ArrayList<>();
            for (Object command : wanted) {
                Map<?, ?> values = (Map<?, ?>) ((List<?>) command).get(2);
                then.add(lineKey(((Number) values.get("product_id")).longValue(), new BigDecimal(values.get("product_uom_qty").toString()),
                        new BigDecimal(values.get("price_unit").toString())));
            }
            Collections.sort(now);
            Collections.sort(then);
            if (now.equals(then)) {
                return;
            }
            List<Object> commands = new ArrayList<>();
            commands.add(List.of(5, 0, 0)); // the lines go, the channel's come
            commands.addAll(wanted);
            odoo.write("sale.order", List.of(saleOrder.id()), Map.of("order_line", commands));
            count(order, "lines-updated");
            LOG.infof("%s: the lines of Odoo sale order %d updated as the channel has them now", order.describe(), saleOrder.id());
        }
    }

    private static String lineKey(long product, BigDecimal quantity, BigDecimal price) {
        return product + "x" + quantity.stripTrailingZeros().toPlainString() + "@" + price.stripTrailingZeros().toPlainString();
    }

    private Object lockFor(ChannelOrder order) {
        return locks[Math.floorMod(order.ref().hashCode(), locks.length)];
    }

    /** The id of the sales tag of that name ({@code crm.tag}), created when Odoo has none. */
    private long tag(String name) {
        return tags.computeIfAbsent(name, n -> {
            List<JsonNode> rows = odoo.searchRead("crm.tag", List.of(List.of("name", "=", n)), List.of("id"), 1, "id asc", null);
            return rows.isEmpty() ? odoo.createOne("crm.tag", Map.of("name", n), null) : rows.get(0).get("id").asLong();
        });
    }

    /** The shipping service product, created once if the catalog has none. */
    private long shippingProduct(ChannelOrder order) {
        return shippingProducts.computeIfAbsent(order.shippingSku(), sku -> {
            OdooCatalog.Product product = catalog.productsBySku(List.of(sku)).get(sku);
            return product != null ? product.id()
                    : odoo.createOne("product.product", Map.of("name", order.shippingName(), "default_code", sku,
                            "type", "service", "sale_ok", true, "list_price", 0), null);
        });
    }

    private static Map<String, Object> values(ChannelOrder.Party party) {
        Map<String, Object> values = new LinkedHashMap<>(); // nulls allowed: the partner writer skips them
        values.put("name", party.name());
        values.put("email", party.email());
        values.put("phone", party.phone());
        values.put("street", party.street());
        values.put("street2", party.street2());
        values.put("city", party.city());
        values.put("zip", party.zip());
        values.put("country_code", party.countryCode());
        return values;
    }

    private void count(ChannelOrder order, String action) {
        metrics.counter("marketbridge.orders.imported", "channel", order.channel(), "action", action).increment();
    }
}

package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.model.OrderProgress;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.PollHealth;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows the sale orders of a channel's orders ({@code client_order_ref} {@code <channel>:...}) as Odoo takes them
 * on: each one written since the cursor becomes an {@code odoo.<Channel>OrderProgress} event for its stage, read from
 * its state and its outgoing deliveries. Validating a delivery moves its sale order's {@code write_date} (its
 * delivery status is recomputed; seen on real Odoo 17 and 19, RealOdooIT), so the sale orders alone are read. The key is the sale order and the
 * stage, so reading the same change twice stores it once and each new stage once. Changes are followed from the
 * service's first start, less the allowed clock skew.
 */
@Singleton
@Named("odooOrderProgress")
public class OdooOrderProgress {

    private static final Logger LOG = Logger.getLogger(OdooOrderProgress.class);
    private static final List<String> FIELDS = List.of("client_order_ref", "state", "write_date");

    private final OdooClient odoo;
    private final OdooDeliveries deliveries;
    private final OdooCatalog catalog;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final ObjectMapper json;
    private final MarketbridgeConfig config;
    private final OdooConfig odooConfig;
    private volatile String firstStart;

    OdooOrderProgress(OdooClient odoo, OdooDeliveries deliveries, OdooCatalog catalog, Inbox inbox, Cursors cursors, PollHealth pollHealth, ObjectMapper json,
            MarketbridgeConfig config, OdooConfig odooConfig) {
        this.odoo = odoo;
        this.deliveries = deliveries;
        this.catalog = catalog;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.json = json;
        this.config = config;
        this.odooConfig = odooConfig;
    }

    void started(@Observes StartupEvent event) {
        firstStart = OdooCatalogFeed.writeDate(LocalDateTime.now(ZoneOffset.UTC).minus(config.channels().clockSkew()));
    }

    /** The event type of a channel's order progress: {@code odoo.CartonaOrderProgress} (a route {@code on-<type>} handles it). */
    public static String eventType(String channel) {
        return "odoo." + channel.substring(0, 1).toUpperCase(Locale.ROOT) + channel.substring(1) + "OrderProgress";
    }

    public void poll(String channel) throws Exception {
        if (odooConfig.enabled()) {
            pollHealth.run(flow(channel), () -> read(channel));
        }
    }

    private static String flow(String channel) {
        return "odoo-orders-" + channel;
    }

    private PollHealth.Result read(String channel) throws SQLException {
        String flow = flow(channel);
        String since = cursors.get(flow).orElse(firstStart);
        String ours = channel + ":%";
        Map<Long, JsonNode> orders = new LinkedHashMap<>();
        String newest = since;
        for (JsonNode order : odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "=like", ours), List.of("write_date", ">=", since)),
                FIELDS, null, "write_date asc, id asc", null)) {
            orders.put(order.get("id").asLong(), order);
            newest = later(newest, order.path("write_date").asText());
        }
        Map<Long, List<OdooDeliveries.Picking>> pickings = deliveries.ofSaleOrders(orders.keySet());
        Map<Long, List<OrderProgress.Line>> lines = lines(orders.keySet());
        List<InboundEvent> events = new ArrayList<>();
        for (JsonNode order : orders.values()) {
            long id = order.get("id").asLong();
            OrderProgress progress = new OrderProgress(channel, order.path("client_order_ref").asText().substring(channel.length() + 1), id,
                    stage(order.path("state").asText(), pickings.getOrDefault(id, List.of())), lines.getOrDefault(id, List.of()));
            // one event per stage and lines: a quantity a person changed in Odoo is news, the same order read again is not
            String linesDigest = Digests.sha256Hex(progress.lines().toString()).substring(0, 16);
            events.add(new InboundEvent("odoo", "odoo:sale-order:" + id + ":" + progress.stage() + ":" + linesDigest, eventType(channel),
                    json(progress)));
        }
        int accepted = inbox.offerAll(events);
        if (!newest.equals(since)) {
            cursors.set(flow, newest);
        }
        if (accepted > 0) {
            LOG.infof("%d %s sale order(s) moved on in Odoo since %s", accepted, channel, since);
        }
        return new PollHealth.Result(accepted, events.size() - accepted, orders.isEmpty() ? 1 : 4);
    }

    /** The lines of these sale orders, by sale order: two reads for them all (the lines, then their products' SKUs). */
    private Map<Long, List<OrderProgress.Line>> lines(Set<Long> saleOrderIds) {
        Map<Long, List<OrderProgress.Line>> bySaleOrder = new LinkedHashMap<>();
        if (saleOrderIds.isEmpty()) {
            return bySaleOrder;
        }
        List<JsonNode> rows = odoo.searchRead("sale.order.line", List.of(List.of("order_id", "in", List.copyOf(saleOrderIds))),
                List.of("order_id", "product_id", "product_uom_qty", "price_unit"), null, "id asc", null);
        Set<Long> products = new java.util.TreeSet<>();
        rows.forEach(row -> products.add(row.path("product_id").path(0).asLong()));
        Map<Long, String> skus = new java.util.HashMap<>();
        catalog.productsById(products).forEach((productId, product) -> skus.put(productId, product.sku()));
        for (JsonNode row : rows) {
            long product = row.path("product_id").path(0).asLong();
            bySaleOrder.computeIfAbsent(row.path("order_id").path(0).asLong(), id -> new ArrayList<>()).add(new OrderProgress.Line(product,
                    skus.get(product), row.path("product_uom_qty").decimalValue().stripTrailingZeros(),
                    row.path("price_unit").decimalValue().stripTrailingZeros()));
        }
        return bySaleOrder;
    }

    /** The stage of a sale order in this state with these outgoing deliveries (cancelled ones left out). */
    static String stage(String state, List<OdooDeliveries.Picking> pickings) {
        return switch (state) {
            case "cancel" -> "cancelled";
            case "draft", "sent" -> "quotation";
            default -> {
                long done = pickings.stream().filter(p -> "done".equals(p.state())).count();
                yield done == 0 ? "confirmed" : done == pickings.size() ? "delivered" : "shipped";
            }
        };
    }

    /** The progress an event holds. */
    public OrderProgress fromEvent(InboxEvent event) {
        try {
            return json.readValue(event.payload(), OrderProgress.class);
        } catch (IOException e) {
            throw new PermanentFailure("odoo", "unreadable order progress event " + event.key() + ": " + e.getMessage(), e);
        }
    }

    private String json(OrderProgress progress) {
        try {
            return json.writeValueAsString(progress);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String later(String a, String b) {
        return b == null || b.isEmpty() || a.compareTo(b) >= 0 ? a : b;
    }
}

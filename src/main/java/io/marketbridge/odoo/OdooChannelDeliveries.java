package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.channels.DeliverySource;
import io.marketbridge.model.ChannelDelivery;
import io.marketbridge.model.ChannelShipment;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.PollHealth;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Odoo's done outgoing deliveries (with a tracking reference) of one channel's sale orders, for a channel told of its
 * shipments by a route: {@link #pollDone} reads those changed since the channel's cursor into the inbox as
 * {@code odoo.<Channel>DeliveryDone} events (one per delivery and tracking), {@link #fromEvent} reads an event back as a
 * {@link ChannelDelivery} with what the delivery moved. The channel is known by its sale orders' {@code client_order_ref}
 * ({@code <channel>:<order id>}); no channel's package is imported.
 */
@Singleton
@Named("odooChannelDeliveries")
public class OdooChannelDeliveries implements DeliverySource {

    private static final Logger LOG = Logger.getLogger(OdooChannelDeliveries.class);
    private static final DateTimeFormatter ODOO_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int PAGE = 200;
    /** Each poll re-reads this much before its cursor (Odoo's write_date has whole seconds); the inbox absorbs doubles. */
    private static final Duration OVERLAP = Duration.ofMinutes(2);
    /** How far back a channel's first poll looks. */
    private static final Duration INITIAL_LOOKBACK = Duration.ofDays(7);

    private final OdooClient odoo;
    private final OdooDeliveries deliveries;
    private final Inbox inbox;
    private final Cursors cursors;
    private final PollHealth pollHealth;
    private final ObjectMapper json;

    OdooChannelDeliveries(OdooClient odoo, OdooDeliveries deliveries, Inbox inbox, Cursors cursors, PollHealth pollHealth, ObjectMapper json) {
        this.odoo = odoo;
        this.deliveries = deliveries;
        this.inbox = inbox;
        this.cursors = cursors;
        this.pollHealth = pollHealth;
        this.json = json;
    }

    /** The event type of a channel's done deliveries: {@code odoo.MedusaDeliveryDone} for {@code medusa}. */
    public static String eventType(String channel) {
        return "odoo." + channel.substring(0, 1).toUpperCase(Locale.ROOT) + channel.substring(1) + "DeliveryDone";
    }

    /** One poll for this channel, under its own cursor and health ({@code odoo-<channel>-deliveries}). */
    public void pollDone(String channel) throws Exception {
        if (!deliveries.tracksShipments()) {
            return; // without Odoo's delivery module there is no tracking to send
        }
        String flow = "odoo-" + channel + "-deliveries";
        pollHealth.run(flow, () -> readDone(channel, flow));
    }

    private PollHealth.Result readDone(String channel, String flow) throws SQLException {
        String prefix = channel + ":";
        String cursor = cursors.get(flow).orElse(ODOO_DATETIME.format(LocalDateTime.now(ZoneOffset.UTC).minus(INITIAL_LOOKBACK)));
        String since = ODOO_DATETIME.format(LocalDateTime.parse(cursor, ODOO_DATETIME).minus(OVERLAP));
        String newest = cursor;
        int seen = 0;
        int accepted = 0;
        int calls = 0;
        for (int offset = 0; ; offset += PAGE) {
            calls++;
            List<OdooDeliveries.Picking> page = deliveries.doneWithTrackingSince(since, offset, PAGE);
            Set<Long> saleOrders = new LinkedHashSet<>();
            page.forEach(picking -> saleOrders.add(picking.saleOrderId()));
            Map<Long, String> channelOrders = new HashMap<>();
            if (!saleOrders.isEmpty()) {
                calls++;
                for (JsonNode row : odoo.searchRead("sale.order", List.of(List.of("id", "in", List.copyOf(saleOrders)),
                        List.of("client_order_ref", "like", prefix)), List.of("client_order_ref"), null, null, null)) {
                    String ref = row.path("client_order_ref").asText();
                    if (ref.startsWith(prefix)) {
                        channelOrders.put(row.get("id").asLong(), ref.substring(prefix.length()));
                    }
                }
            }
            List<InboundEvent> events = new ArrayList<>();
            for (OdooDeliveries.Picking picking : page) {
                if (picking.writeDate() != null && picking.writeDate().compareTo(newest) > 0) {
                    newest = picking.writeDate();
                }
                String orderId = channelOrders.get(picking.saleOrderId());
                if (orderId != null) {
                    ObjectNode payload = json.createObjectNode();
                    payload.put("channel", channel);
                    payload.put("orderId", orderId);
                    payload.put("pickingId", picking.id());
                    payload.put("saleOrderId", picking.saleOrderId());
                    payload.put("tracking", picking.tracking());
                    payload.put("carrier", picking.carrier());
                    payload.put("dateDone", picking.dateDone() != null ? picking.dateDone() : picking.writeDate());
                    events.add(new InboundEvent("odoo", "odoo:" + channel + "-delivery:" + picking.id() + ":" + picking.tracking(),
                            eventType(channel), payload.toString()));
                }
            }
            seen += events.size();
            accepted += inbox.offerAll(events);
            if (page.size() < PAGE) {
                break;
            }
        }
        cursors.set(flow, newest);
        if (accepted > 0) {
            LOG.infof("Odoo deliveries poll for %s: %d done deliverie(s), %d new, cursor %s", channel, seen, accepted, newest);
        }
        return new PollHealth.Result(accepted, seen - accepted, calls);
    }

    /** A done-delivery event as the channel's step takes it, with what the delivery moved by SKU (read from Odoo now). */
    public ChannelDelivery fromEvent(InboxEvent event) {
        JsonNode payload;
        try {
            payload = json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure("odoo", "unreadable delivery event " + event.key() + ": " + e.getMessage(), e);
        }
        long pickingId = payload.path("pickingId").asLong();
        return new ChannelDelivery(payload.path("channel").asText(), payload.path("orderId").asText(), pickingId,
                payload.path("tracking").asText(null), payload.path("carrier").isTextual() ? payload.path("carrier").asText() : null,
                deliveries.quantitiesBySku(pickingId), payload.path("dateDone").isTextual() ? payload.path("dateDone").asText() : null);
    }

    /**
     * A shipment the channel reports, in Odoo: its tracking added to the sale order's delivery (the first one not yet
     * done, else the last done one; a split shipment has several numbers, comma-separated) and the note in the sale
     * order's chatter. Returns the delivery written, or null when there was none (or no tracking, or no delivery
     * module). A sale order Odoo does not have yet (its import still to come) is retried later.
     */
    public Long recordShipment(ChannelShipment shipment) {
        List<JsonNode> saleOrders = odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "=", shipment.ref())),
                List.of("name"), 1, "id asc", null);
        if (saleOrders.isEmpty()) {
            throw new TransientFailure("odoo", shipment.ref() + " shipped, but Odoo has no sale order " + shipment.ref() + " yet",
                    Duration.ofMinutes(1), null);
        }
        long saleOrder = saleOrders.get(0).get("id").asLong();
        OdooDeliveries.Picking written = null;
        if (!shipment.tracking().isEmpty() && deliveries.tracksShipments()) {
            written = addTracking(deliveries.ofSaleOrders(List.of(saleOrder)).getOrDefault(saleOrder, List.of()), shipment.tracking());
        }
        odoo.postNote("sale.order", saleOrder, shipment.note() + (written == null ? "" : " Tracking set on delivery " + written.id() + "."));
        return written == null ? null : written.id();
    }

    private OdooDeliveries.Picking addTracking(List<OdooDeliveries.Picking> pickings, String tracking) {
        OdooDeliveries.Picking target = pickings.stream().filter(p -> !p.done()).findFirst()
                .orElse(pickings.isEmpty() ? null : pickings.get(pickings.size() - 1));
        if (target == null) {
            return null;
        }
        String current = target.tracking();
        if (current == null || current.isBlank()) {
            deliveries.setTracking(target.id(), tracking);
        } else if (Arrays.stream(current.split("\\s*,\\s*")).map(t -> t.replaceAll("[^A-Za-z0-9]", "")).noneMatch(tracking::equals)) {
            deliveries.setTracking(target.id(), current + ", " + tracking);
        }
        return target;
    }

    @Override
    public Set<String> shippedOrders(String channel, Collection<String> orderIds) {
        Set<String> shipped = new HashSet<>();
        if (orderIds.isEmpty()) {
            return shipped;
        }
        String prefix = channel + ":";
        Map<Long, String> orderIdBySaleOrder = new HashMap<>();
        for (JsonNode row : odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "in",
                orderIds.stream().map(id -> prefix + id).toList())), List.of("client_order_ref"), null, null, null)) {
            orderIdBySaleOrder.put(row.get("id").asLong(), row.path("client_order_ref").asText().substring(prefix.length()));
        }
        deliveries.ofSaleOrders(orderIdBySaleOrder.keySet()).forEach((saleOrder, pickings) -> {
            if (!pickings.isEmpty() && pickings.stream().allMatch(OdooDeliveries.Picking::done)) {
                shipped.add(orderIdBySaleOrder.get(saleOrder));
            }
        });
        return shipped;
    }
}

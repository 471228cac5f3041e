package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.model.ChannelDelivery;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.PollHealth;
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
import java.util.HashMap;
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
public class OdooChannelDeliveries {

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
                deliveries.quantitiesBySku(pickingId));
    }
}

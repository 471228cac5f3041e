package io.marketbridge.ebay.fulfilment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.fulfilment.EbayFulfilmentRecords.Direction;
import io.marketbridge.model.ChannelDelivery;
import io.marketbridge.model.ChannelShipment;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shipping fulfilments both ways, eBay's side. eBay → Odoo: each eBay fulfilment of an order is one
 * inbox event, mapped here to the shipment the route has Odoo record (tracking on the delivery, a
 * chatter note). Odoo → eBay: a done delivery with a tracking reference becomes one
 * {@code shipping_fulfillment}.
 * {@link EbayFulfilmentRecords} makes both idempotent and keeps either side's tracking from being
 * echoed back to it.
 */
@Singleton
@Named("ebayFulfilments")
public class EbayFulfilments {

    private static final Logger LOG = Logger.getLogger(EbayFulfilments.class);
    static final String FULFILMENT_EVENT = "ebay.Fulfilment";
    /**
     * eBay's Fulfillment contract: 32210 is "Duplicate line item in the request", a 400 refusal of the
     * request itself, not "already fulfilled" (that is a 409, listed without a code).
     */
    static final int DUPLICATE_LINE_ITEM = 32210;
    /** The exchange property the route leaves the Odoo delivery in that took the tracking (null: none). */
    static final String ODOO_DELIVERY = "odooDelivery";
    private static final DateTimeFormatter ODOO_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter EBAY_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final EbayApi ebay;
    private final EbayFulfilmentRecords records;
    private final Inbox inbox;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final EbayConfig.Fulfilment config;
    /** Carrier names compared without case. */
    private final Map<String, String> carrierCodes = new HashMap<>();

    EbayFulfilments(EbayApi ebay, EbayFulfilmentRecords records, Inbox inbox,
            ObjectMapper json, MeterRegistry metrics, EbayConfig config) {
        this.ebay = ebay;
        this.records = records;
        this.inbox = inbox;
        this.json = json;
        this.metrics = metrics;
        this.config = config.fulfilment();
        this.config.carrierCodes().forEach((name, code) -> carrierCodes.put(name.trim().toLowerCase(), code));
    }

    // --- eBay → Odoo ----------------------------------------------------------------------------

    /**
     * Reads an eBay order's shipping fulfilments and offers each to the inbox as its own event,
     * keyed {@code ebay:fulfilment:<orderId>:<fulfillmentId>}: the poll and a notification naming
     * the same fulfilment store it once. Returns how many were new.
     */
    public int offerFulfilments(JsonNode order) throws SQLException {
        String orderId = order.path("orderId").asText();
        JsonNode answer = ebay.get("/sell/fulfillment/v1/order/" + encode(orderId) + "/shipping_fulfillment");
        List<InboundEvent> events = new ArrayList<>();
        for (JsonNode fulfillment : answer.path("fulfillments")) {
            ObjectNode payload = json.createObjectNode();
            payload.put("orderId", orderId);
            payload.set("fulfillment", fulfillment);
            // the fulfilment names line items by id only: keep their SKU and title for the chatter note
            payload.set("lineItems", json.valueToTree(lineItemsById(order)));
            events.add(new InboundEvent("ebay", "ebay:fulfilment:" + orderId + ":" + fulfillment.path("fulfillmentId").asText(),
                    FULFILMENT_EVENT, payload.toString()));
        }
        return inbox.offerAll(events);
    }

    /**
     * ITEM_MARKED_SHIPPED: the same reflection as the poll's, for the order it names, without
     * waiting for the poll. eBay does not document this topic's payload (protocols/ebay.md), so the
     * order id is read defensively: {@code data.orderId} as the other order topics carry it, else the
     * first {@code orderId} (or {@code legacyOrderId}) found anywhere under {@code data}.
     */
    public void shipmentNotified(InboxEvent event) throws SQLException {
        String orderId = notifiedOrderId(event);
        JsonNode orders = ebay.get("/sell/fulfillment/v1/order?orderIds=" + encode(orderId)).path("orders");
        if (orders.isEmpty()) {
            throw new TransientFailure("ebay", "order " + orderId + " is not in getOrders yet", Duration.ofSeconds(30), null);
        }
        for (JsonNode order : orders) {
            offerFulfilments(order);
        }
    }

    private String notifiedOrderId(InboxEvent event) {
        try {
            EbayNotification notification = json.readValue(event.payload(), EbayNotification.class);
            if (notification.orderId() != null && !notification.orderId().isBlank()) {
                return notification.orderId();
            }
            JsonNode data = json.readTree(notification.raw()).path("notification").path("data");
            for (String field : List.of("orderId", "legacyOrderId")) {
                JsonNode found = data.findValue(field);
                if (found != null && found.isValueNode() && !found.asText().isBlank()) {
                    return found.asText();
                }
            }
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable notification " + event.key() + ": " + e.getMessage(), e);
        }
        throw new PermanentFailure("ebay", event.type() + " " + event.key() + " names no order (no orderId in its data)");
    }

    /** map: a stored eBay fulfilment as the shipment Odoo takes (its tracking cleaned, a note naming its lines). */
    public ChannelShipment fromEvent(InboxEvent event) {
        JsonNode payload = read(event);
        JsonNode fulfillment = payload.path("fulfillment");
        return new ChannelShipment("ebay", payload.path("orderId").asText(), fulfillment.path("fulfillmentId").asText(),
                cleanTracking(fulfillment.path("shipmentTrackingNumber").asText("")), shippedNote(fulfillment, payload.path("lineItems")));
    }

    /**
     * decide: whether Odoo still has to hear of the shipment: not when it was reflected before, nor when its tracking
     * is one this service sent eBay from an Odoo delivery (Odoo has it already; recorded so, once).
     */
    public boolean needsOdoo(ChannelShipment shipment) throws SQLException {
        String key = EbayFulfilmentRecords.fromEbayKey(shipment.orderId(), shipment.shipmentId());
        if (records.contains(key)) {
            return false;
        }
        if (!shipment.tracking().isEmpty() && records.hasTracking(shipment.orderId(), Direction.TO_EBAY, shipment.tracking())) {
            records.record(key, Direction.FROM_EBAY, shipment.orderId(), shipment.shipmentId(), null, shipment.tracking(), "SENT_FROM_ODOO");
            return false;
        }
        return true;
    }

    /** The shipment is in Odoo (on {@code odooDelivery}, or as a note only): recorded, so it is reflected once. */
    public void reflected(ChannelShipment shipment, @ExchangeProperty(ODOO_DELIVERY) Long delivery) throws SQLException {
        records.record(EbayFulfilmentRecords.fromEbayKey(shipment.orderId(), shipment.shipmentId()), Direction.FROM_EBAY,
                shipment.orderId(), shipment.shipmentId(), delivery, shipment.tracking().isEmpty() ? null : shipment.tracking(),
                delivery == null ? "NOTE_ONLY" : "TRACKING_WRITTEN");
        metrics.counter("marketbridge.ebay.fulfilments", "direction", "from-ebay").increment();
        LOG.infof("eBay fulfilment %s of order %s -> Odoo%s", shipment.shipmentId(), shipment.orderId(),
                delivery == null ? " (note only)" : " delivery " + delivery);
    }

    /** Plain text: Odoo escapes a string body posted over the external API, so markup would show as text. */
    private static String shippedNote(JsonNode fulfillment, JsonNode lineItems) {
        String tracking = fulfillment.path("shipmentTrackingNumber").asText("");
        StringBuilder note = new StringBuilder("Shipped on eBay: carrier ")
                .append(fulfillment.path("shippingCarrierCode").asText("unknown"))
                .append(", tracking ").append(tracking.isBlank() ? "none" : tracking)
                .append(", shipped ").append(fulfillment.path("shippedDate").asText("(date not given)"));
        note.append(". Lines:");
        String separator = " ";
        for (JsonNode line : fulfillment.path("lineItems")) {
            JsonNode item = lineItems.path(line.path("lineItemId").asText());
            note.append(separator).append(line.path("quantity").asInt(1)).append(" x ").append(item.path("sku").asText("?"))
                    .append(" ").append(item.path("title").asText("")).append(" (eBay line ").append(line.path("lineItemId").asText())
                    .append(")");
            separator = "; ";
        }
        return note.append('.').toString();
    }

    // --- Odoo → eBay ----------------------------------------------------------------------------

    /**
     * A done Odoo delivery of an eBay order → {@code POST /order/{orderId}/shipping_fulfillment}
     * for its lines, once. 201 is done; 409 (already fulfilled on eBay) is done too; any other
     * answer, 400 / 32210 (a line item twice in the request) included, is a refusal.
     */
    public void sendToEbay(ChannelDelivery delivery) throws SQLException {
        String orderId = delivery.orderId();
        long pickingId = delivery.pickingId();
        String key = EbayFulfilmentRecords.toEbayKey(orderId, pickingId);
        if (records.contains(key)) {
            return;
        }
        String tracking = cleanTracking(delivery.tracking());
        if (tracking.isEmpty()) {
            LOG.warnf("Odoo delivery %d of eBay order %s has no usable tracking reference ('%s'): nothing sent to eBay",
                    pickingId, orderId, delivery.tracking());
            return;
        }
        if (records.hasTracking(orderId, Direction.FROM_EBAY, tracking)) {
            // the tracking came from eBay in the first place: eBay has it
            records.record(key, Direction.TO_EBAY, orderId, null, pickingId, tracking, "CAME_FROM_EBAY");
            return;
        }
        JsonNode order = ebay.get("/sell/fulfillment/v1/order?orderIds=" + encode(orderId)).path("orders").path(0);
        if (order.isMissingNode()) {
            throw new PermanentFailure("ebay", "Odoo delivery " + pickingId + " ships eBay order " + orderId + ", which eBay does not know");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lineItems", shippedLines(order, delivery.quantitiesBySku(), pickingId));
        body.put("shippedDate", shippedDate(delivery.doneAt()));
        body.put("shippingCarrierCode", carrierCode(delivery.carrier()));
        body.put("trackingNumber", tracking);
        EbayApi.Reply answer = ebay.send("POST", "/sell/fulfillment/v1/order/" + encode(orderId) + "/shipping_fulfillment", body, true);
        String outcome;
        String fulfillmentId = null;
        if (answer.status() == 409) {
            outcome = "ALREADY_FULFILLED";
        } else if (answer.ok()) {
            outcome = "SENT";
            fulfillmentId = answer.location().map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse(null);
        } else {
            throw new PermanentFailure("ebay", "eBay refused the shipping fulfilment of order " + orderId + " (Odoo delivery "
                    + pickingId + "): HTTP " + answer.status() + " " + answer.message()
                    + (answer.errorId() == DUPLICATE_LINE_ITEM ? " (a line item twice in the request)" : ""));
        }
        records.record(key, Direction.TO_EBAY, orderId, fulfillmentId, pickingId, tracking, outcome);
        metrics.counter("marketbridge.ebay.fulfilments", "direction", "to-ebay", "outcome", outcome).increment();
        LOG.infof("Odoo delivery %d -> eBay order %s: tracking %s (%s)", pickingId, orderId, tracking, outcome);
    }

    /** eBay's line items the delivery moved, matched by SKU, each at most its ordered quantity. */
    private static List<Map<String, Object>> shippedLines(JsonNode order, Map<String, Double> moved, long pickingId) {
        Map<String, Double> left = new HashMap<>(moved);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (JsonNode line : order.path("lineItems")) {
            Double available = left.get(line.path("sku").asText());
            if (available == null || available < 1) {
                continue;
            }
            int quantity = (int) Math.min(line.path("quantity").asInt(1), Math.floor(available));
            left.put(line.path("sku").asText(), available - quantity);
            lines.add(Map.of("lineItemId", line.path("lineItemId").asText(), "quantity", quantity));
        }
        if (lines.isEmpty()) {
            throw new PermanentFailure("odoo", "Odoo delivery " + pickingId + " moves no product whose SKU is on eBay order "
                    + order.path("orderId").asText() + " (moved: " + moved.keySet() + ")");
        }
        return lines;
    }

    /** Odoo's done date (UTC, second precision) as eBay's ISO-8601 with milliseconds. */
    private static String shippedDate(String odooDate) {
        LocalDateTime at;
        try {
            at = odooDate == null ? LocalDateTime.now(ZoneOffset.UTC) : LocalDateTime.parse(odooDate, ODOO_DATETIME);
        } catch (RuntimeException e) {
            at = LocalDateTime.now(ZoneOffset.UTC);
        }
        return EBAY_DATETIME.format(at);
    }

    private String carrierCode(String odooCarrier) {
        return odooCarrier == null ? config.defaultCarrierCode()
                : carrierCodes.getOrDefault(odooCarrier.trim().toLowerCase(), config.defaultCarrierCode());
    }

    // --- shared -----------------------------------------------------------------------------------

    /** eBay accepts alphanumeric tracking numbers only. */
    static String cleanTracking(String tracking) {
        return tracking == null ? "" : tracking.replaceAll("[^A-Za-z0-9]", "");
    }

    private static Map<String, Map<String, String>> lineItemsById(JsonNode order) {
        Map<String, Map<String, String>> byId = new LinkedHashMap<>();
        for (JsonNode line : order.path("lineItems")) {
            byId.put(line.path("lineItemId").asText(), Map.of("sku", line.path("sku").asText(""), "title", line.path("title").asText("")));
        }
        return byId;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode read(InboxEvent event) {
        try {
            return json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure("marketbridge", "unreadable event " + event.key() + ": " + e.getMessage(), e);
        }
    }
}

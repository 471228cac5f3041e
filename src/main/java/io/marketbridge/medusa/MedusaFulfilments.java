package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.model.ChannelDelivery;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A done Odoo delivery of a Medusa order as a Medusa fulfillment, shipped with the carrier's tracking number, once:
 * the fulfillment carries the Odoo delivery's id in its metadata ({@value #PICKING_KEY}), so a replay or a second event
 * of the same delivery finds it and only ships it if that step is what is missing.
 */
@Singleton
@Named("medusaFulfilments")
public class MedusaFulfilments {

    /** The fulfillment's metadata key that holds the Odoo delivery ({@code stock.picking}) id. */
    public static final String PICKING_KEY = "odoo_picking_id";
    private static final Logger LOG = Logger.getLogger(MedusaFulfilments.class);
    private static final String FIELDS = "id,status,*items,*fulfillments,*fulfillments.labels";

    private final MedusaApi medusa;

    MedusaFulfilments(MedusaApi medusa) {
        this.medusa = medusa;
    }

    /** Creates the delivery's fulfillment (its lines matched by SKU) unless it exists, then ships it with the tracking unless shipped. */
    public void ship(ChannelDelivery delivery) {
        String path = "/admin/orders/" + MedusaApi.encode(delivery.orderId());
        JsonNode order = read(path, delivery);
        if ("canceled".equals(order.path("status").asText())) {
            throw new PermanentFailure(MedusaApi.PEER, delivery.describe() + " is done, but the order is canceled in Medusa:"
                    + " no fulfillment is made there; sort it out in Medusa and Odoo");
        }
        List<Map<String, Object>> items = items(order, delivery);
        JsonNode fulfillment = existing(order, delivery);
        if (fulfillment == null) {
            medusa.require(medusa.post(path + "/fulfillments", Map.of("items", items, "metadata", Map.of(PICKING_KEY, String.valueOf(delivery.pickingId())))),
                    "creating the fulfillment of " + delivery.describe());
            fulfillment = existing(read(path, delivery), delivery);
            if (fulfillment == null) {
                throw new PermanentFailure(MedusaApi.PEER, "Medusa accepted the fulfillment of " + delivery.describe()
                        + " but does not show it with " + PICKING_KEY + " in its metadata");
            }
        }
        if (fulfillment.hasNonNull("shipped_at")) {
            return;
        }
        Map<String, Object> label = new LinkedHashMap<>();
        label.put("tracking_number", delivery.tracking());
        label.put("tracking_url", "#"); // Medusa requires both URLs; "#" is its dashboard's "none"
        label.put("label_url", "#");
        medusa.require(medusa.post(path + "/fulfillments/" + MedusaApi.encode(fulfillment.path("id").asText()) + "/shipments",
                Map.of("items", items, "labels", List.of(label))), "shipping the fulfillment of " + delivery.describe());
        LOG.infof("%s -> Medusa fulfillment %s shipped, tracking %s", delivery.describe(), fulfillment.path("id").asText(), delivery.tracking());
    }

    private JsonNode read(String path, ChannelDelivery delivery) {
        return medusa.require(medusa.get(path + "?fields=" + MedusaApi.encode(FIELDS)), "reading the order of " + delivery.describe())
                .path("order");
    }

    /** The order's fulfillment made for this delivery, not canceled; null when there is none. */
    private static JsonNode existing(JsonNode order, ChannelDelivery delivery) {
        for (JsonNode fulfillment : order.path("fulfillments")) {
            if (String.valueOf(delivery.pickingId()).equals(fulfillment.path("metadata").path(PICKING_KEY).asText())
                    && !fulfillment.hasNonNull("canceled_at")) {
                return fulfillment;
            }
        }
        return null;
    }

    /** Medusa's order items the delivery moved, matched by SKU, each at most its ordered quantity. */
    private static List<Map<String, Object>> items(JsonNode order, ChannelDelivery delivery) {
        Map<String, Double> left = new HashMap<>(delivery.quantitiesBySku());
        List<Map<String, Object>> items = new ArrayList<>();
        for (JsonNode item : order.path("items")) {
            Double moved = left.get(item.path("variant_sku").asText(""));
            if (moved != null && moved > 0) {
                int quantity = (int) Math.min(Math.floor(moved), item.path("quantity").asInt());
                if (quantity > 0) {
                    items.add(Map.of("id", item.path("id").asText(), "quantity", quantity));
                    left.put(item.path("variant_sku").asText(), moved - quantity);
                }
            }
        }
        if (items.isEmpty()) {
            throw new PermanentFailure(MedusaApi.PEER, delivery.describe() + " moved " + delivery.quantitiesBySku()
                    + ", none of which matches a line of the Medusa order by SKU: nothing to fulfil");
        }
        return items;
    }
}

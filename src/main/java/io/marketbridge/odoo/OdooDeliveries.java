package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outgoing deliveries ({@code stock.picking}) of sale orders: read, tracking written, done ones
 * found by {@code write_date}. {@code carrier_tracking_ref} and {@code carrier_id} exist only
 * with Odoo's delivery module ({@code stock_delivery} in 17/18, {@code delivery} in 16), so
 * whether this Odoo has them is asked once through {@code fields_get}.
 */
@Singleton
public class OdooDeliveries {

    private static final Logger LOG = Logger.getLogger(OdooDeliveries.class);
    private static final List<String> BASE_FIELDS = List.of("sale_id", "state", "origin", "date_done", "write_date");
    private static final List<String> CARRIER_FIELDS = List.of("carrier_tracking_ref", "carrier_id");

    private final OdooClient odoo;
    private volatile Boolean tracksShipments;

    OdooDeliveries(OdooClient odoo) {
        this.odoo = odoo;
    }

    /**
     * An outgoing delivery as this service needs to see it; {@code tracking} and {@code carrier}
     * are null when empty or when this Odoo has no delivery module.
     */
    public record Picking(long id, long saleOrderId, String state, String tracking, String carrier, String dateDone,
            String writeDate) {

        public boolean done() {
            return "done".equals(state);
        }
    }

    /** Whether this Odoo's deliveries carry a tracking reference and a carrier (its delivery module is installed). */
    public boolean tracksShipments() {
        Boolean known = tracksShipments;
        if (known == null) {
            JsonNode fields = odoo.call("stock.picking", "fields_get", null, Map.of("attributes", List.of("type")));
            known = fields.has("carrier_tracking_ref");
            if (!known) {
                LOG.infof("Odoo's stock.picking has no carrier_tracking_ref (delivery module not installed):"
                        + " tracking numbers are posted in the sale order's chatter only, and none are sent to eBay");
            }
            tracksShipments = known;
        }
        return known;
    }

    /** The outgoing deliveries of these sale orders (cancelled ones left out), by sale order, oldest first. */
    public Map<Long, List<Picking>> ofSaleOrders(Collection<Long> saleOrderIds) {
        Map<Long, List<Picking>> bySaleOrder = new HashMap<>();
        if (saleOrderIds.isEmpty()) {
            return bySaleOrder;
        }
        List<Object> domain = List.of(List.of("sale_id", "in", List.copyOf(saleOrderIds)),
                List.of("picking_type_code", "=", "outgoing"), List.of("state", "!=", "cancel"));
        for (JsonNode row : odoo.searchRead("stock.picking", domain, fields(), null, "id asc", null)) {
            Picking picking = picking(row);
            bySaleOrder.computeIfAbsent(picking.saleOrderId(), id -> new ArrayList<>()).add(picking);
        }
        return bySaleOrder;
    }

    /**
     * A page of done outgoing deliveries with a tracking reference, changed at or after {@code since}
     * (Odoo's {@code YYYY-MM-DD HH:MM:SS}, UTC), oldest change first.
     */
    public List<Picking> doneWithTrackingSince(String since, int offset, int limit) {
        List<Object> domain = List.of(List.of("state", "=", "done"), List.of("picking_type_code", "=", "outgoing"),
                List.of("carrier_tracking_ref", "!=", false), List.of("write_date", ">=", since));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("domain", domain);
        params.put("fields", fields());
        params.put("order", "write_date asc, id asc");
        params.put("offset", offset);
        params.put("limit", limit);
        List<Picking> page = new ArrayList<>();
        odoo.call("stock.picking", "search_read", null, params).forEach(row -> page.add(picking(row)));
        return page;
    }

    /** Sets the delivery's tracking reference (Odoo keeps several as one comma-separated text). */
    public void setTracking(long pickingId, String tracking) {
        odoo.write("stock.picking", List.of(pickingId), Map.of("carrier_tracking_ref", tracking));
    }

    /** Quantities moved by a delivery, by product SKU ({@code default_code}); products without SKU are left out. */
    public Map<String, Double> quantitiesBySku(long pickingId) {
        List<JsonNode> moves = odoo.searchRead("stock.move", List.of(List.of("picking_id", "=", pickingId)),
                List.of("product_id", "product_uom_qty", "state"), null, "id asc", null);
        Map<Long, Double> byProduct = new LinkedHashMap<>();
        for (JsonNode move : moves) {
            if (!"cancel".equals(move.path("state").asText())) {
                byProduct.merge(move.path("product_id").path(0).asLong(), move.path("product_uom_qty").asDouble(), Double::sum);
            }
        }
        Map<String, Double> bySku = new LinkedHashMap<>();
        if (byProduct.isEmpty()) {
            return bySku;
        }
        for (JsonNode product : odoo.searchRead("product.product", List.of(List.of("id", "in", List.copyOf(byProduct.keySet()))),
                List.of("default_code"), null, null, Map.of("active_test", false))) {
            JsonNode sku = product.get("default_code");
            if (sku != null && sku.isTextual() && !sku.asText().isBlank()) {
                bySku.merge(sku.asText(), byProduct.get(product.get("id").asLong()), Double::sum);
            }
        }
        return bySku;
    }

    private List<String> fields() {
        List<String> fields = new ArrayList<>(BASE_FIELDS);
        if (tracksShipments()) {
            fields.addAll(CARRIER_FIELDS);
        }
        return fields;
    }

    private static Picking picking(JsonNode row) {
        return new Picking(row.get("id").asLong(), row.path("sale_id").path(0).asLong(), row.path("state").asText(),
                text(row.get("carrier_tracking_ref")), text(row.path("carrier_id").path(1)), text(row.get("date_done")),
                text(row.get("write_date")));
    }

    /** Odoo reads an empty field as {@code false}. */
    private static String text(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || value.isBoolean() || value.asText().isBlank()
                ? null : value.asText();
    }
}

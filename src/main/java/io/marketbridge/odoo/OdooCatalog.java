package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Products, categories, stock and external identifiers in Odoo, in as few calls as Odoo allows:
 * SKUs are looked up a page at a time, category paths and the stock location are resolved once.
 */
@Singleton
public class OdooCatalog {

    public static final String MODULE = "marketbridge";
    private static final List<String> PRODUCT_FIELDS = List.of("default_code", "product_tmpl_id", "name", "list_price",
            "categ_id", "description_sale", "barcode", "qty_available");
    private static final Map<String, Object> ALL_RECORDS = Map.of("active_test", false);

    private final OdooClient odoo;
    private final Optional<Long> configuredLocation;
    private final Map<String, Long> categoryIds = new ConcurrentHashMap<>();
    private volatile Long stockLocation;

    OdooCatalog(OdooClient odoo, MarketbridgeConfig config) {
        this.odoo = odoo;
        this.configuredLocation = config.odoo().stockLocationId();
    }

    /** A product variant as this service needs to see it. */
    public record Product(long id, long templateId, String sku, String name, BigDecimal listPrice, long categoryId,
            String descriptionSale, String barcode, BigDecimal qtyAvailable) {
    }

    /** One {@code search_read} for a whole page of SKUs, archived products included. */
    public Map<String, Product> productsBySku(Collection<String> skus) {
        Map<String, Product> found = new HashMap<>();
        if (skus.isEmpty()) {
            return found;
        }
        for (JsonNode row : odoo.searchRead("product.product", List.of(List.of("default_code", "in", List.copyOf(skus))),
                PRODUCT_FIELDS, null, "id asc", ALL_RECORDS)) {
            Product p = product(row);
            found.putIfAbsent(p.sku(), p);
        }
        return found;
    }

    /** Creates a storable product (template and its single variant). */
    public Product createProduct(Map<String, Object> templateValues) {
        Map<String, Object> values = new LinkedHashMap<>(templateValues);
        values.putAll(storableProduct());
        long templateId = odoo.createOne("product.template", values, null);
        List<JsonNode> variants = odoo.searchRead("product.product", List.of(List.of("product_tmpl_id", "=", templateId)),
                PRODUCT_FIELDS, 1, "id asc", ALL_RECORDS);
        if (variants.isEmpty()) {
            throw new PermanentFailure(OdooErrors.PEER, "product.template " + templateId + " has no variant after create");
        }
        return product(variants.get(0));
    }

    public void updateTemplate(long templateId, Map<String, Object> values) {
        odoo.write("product.template", List.of(templateId), values);
    }

    /** Odoo 16/17: {@code type=product}; 18+: a consumable flagged {@code is_storable}. */
    public Map<String, Object> storableProduct() {
        return odoo.version().storableIsFlag() ? Map.of("type", "consu", "is_storable", true) : Map.of("type", "product");
    }

    /**
     * The id of a category path such as {@code All / eBay / Cameras & Photo}, creating the missing
     * levels under the existing ones.
     */
    public long category(List<String> path) {
        String key = String.join(" / ", path);
        Long known = categoryIds.get(key);
        if (known != null) {
            return known;
        }
        Long parent = null;
        List<String> walked = new ArrayList<>();
        for (String name : path) {
            walked.add(name);
            String walkedKey = String.join(" / ", walked);
            Long id = categoryIds.get(walkedKey);
            if (id == null) {
                List<Object> domain = List.of(List.of("name", "=", name), List.of("parent_id", "=", parent == null ? false : parent));
                List<JsonNode> rows = odoo.searchRead("product.category", domain, List.of("id"), 1, "id asc", null);
                if (rows.isEmpty()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("name", name);
                    if (parent != null) {
                        values.put("parent_id", parent);
                    }
                    id = odoo.createOne("product.category", values, null);
                } else {
                    id = rows.get(0).get("id").asLong();
                }
                categoryIds.put(walkedKey, id);
            }
            parent = id;
        }
        return parent;
    }

    /**
     * Sets a product's on-hand quantity at the stock location through an inventory adjustment,
     * the way Odoo's own "Update quantity" does it.
     */
    public void setOnHand(long productId, BigDecimal quantity) {
        Map<String, Object> values = Map.of("product_id", productId, "location_id", stockLocation(),
                "inventory_quantity", quantity);
        long quant = odoo.createOne("stock.quant", values, Map.of("inventory_mode", true));
        JsonNode applied = odoo.call("stock.quant", "action_apply_inventory", List.of(quant), Map.of());
        if (applied.isObject()) {
            // a wizard action: Odoo wants a person to decide (lot tracking, conflicting count)
            throw new PermanentFailure(OdooErrors.PEER, "on-hand quantity of product " + productId
                    + " not applied: Odoo asked for a confirmation wizard (" + OdooClient.abbreviate(applied.path("res_model")) + ")");
        }
    }

    /** The configured stock location, or the first warehouse's, resolved once. */
    long stockLocation() {
        Long known = stockLocation;
        if (known == null) {
            known = configuredLocation.orElseGet(() -> {
                List<JsonNode> warehouses = odoo.searchRead("stock.warehouse", List.of(), List.of("lot_stock_id"), 1, "id asc", null);
                if (warehouses.isEmpty()) {
                    throw new PermanentFailure(OdooErrors.PEER, "no warehouse in Odoo: set marketbridge.odoo.stock-location-id");
                }
                return warehouses.get(0).path("lot_stock_id").path(0).asLong();
            });
            stockLocation = known;
        }
        return known;
    }

    /**
     * Records {@code marketbridge.<name>} → record as an Odoo external identifier. For a record
     * created just now the name is normally free, so it is created in one call; a name already
     * taken (the record was deleted and imported again) is looked up and re-pointed.
     */
    public void ensureExternalId(String name, String model, long resId, boolean recordIsNew) {
        if (recordIsNew) {
            try {
                odoo.createOne("ir.model.data", Map.of("module", MODULE, "name", name, "model", model, "res_id", resId), null);
                return;
            } catch (PermanentFailure taken) {
                if (!taken.getMessage().contains("UniqueViolation") && !taken.getMessage().contains("unique")) {
                    throw taken;
                }
            }
        }
        List<JsonNode> existing = odoo.searchRead("ir.model.data",
                List.of(List.of("module", "=", MODULE), List.of("name", "=", name)), List.of("res_id", "model"), 1, null, null);
        if (existing.isEmpty()) {
            odoo.createOne("ir.model.data", Map.of("module", MODULE, "name", name, "model", model, "res_id", resId), null);
        } else if (existing.get(0).path("res_id").asLong() != resId) {
            odoo.write("ir.model.data", List.of(existing.get(0).get("id").asLong()), Map.of("model", model, "res_id", resId));
        }
    }

    public void postNote(String model, long id, String body) {
        odoo.postNote(model, id, body);
    }

    /** External identifier names allow only {@code [A-Za-z0-9_]}. */
    public static String externalIdName(String prefix, String foreignId) {
        return prefix + foreignId.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static Product product(JsonNode row) {
        return new Product(row.get("id").asLong(), row.path("product_tmpl_id").path(0).asLong(),
                text(row, "default_code"), text(row, "name"), row.path("list_price").decimalValue(),
                row.path("categ_id").path(0).asLong(), text(row, "description_sale"), text(row, "barcode"),
                row.path("qty_available").decimalValue());
    }

    /** Odoo reads an empty field as {@code false}. */
    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() || value.isBoolean() ? null : value.asText();
    }
}

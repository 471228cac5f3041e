package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** Attribute ids by name, and attribute value ids by attribute id and name: they never change once created. */
    private final Map<String, Long> attributeIds = new ConcurrentHashMap<>();
    private final Map<String, Long> attributeValueIds = new ConcurrentHashMap<>();
    private volatile Long stockLocation;
    private final java.util.concurrent.locks.ReentrantLock inventoryApplies = new java.util.concurrent.locks.ReentrantLock(true);

    OdooCatalog(OdooClient odoo, OdooConfig config) {
        this.odoo = odoo;
        this.configuredLocation = config.stockLocationId();
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

    /** One {@code search_read} for variants named by their ids, archived ones included. */
    public Map<Long, Product> productsById(Collection<Long> ids) {
        Map<Long, Product> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        for (JsonNode row : odoo.searchRead("product.product", List.of(List.of("id", "in", List.copyOf(ids))), PRODUCT_FIELDS, null, "id asc",
                ALL_RECORDS)) {
            Product p = product(row);
            found.put(p.id(), p);
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

    /** A variant of a multi-variant template: its attribute values ({@code product.attribute.value} ids) tell it apart. */
    public record Variant(long id, String sku, boolean active, BigDecimal qtyAvailable, Set<Long> attributeValueIds) {
    }

    /** A value a template uses ({@code product.template.attribute.value}): its line, attribute and price extra. */
    public record TemplateValue(long id, long lineId, long attributeId, long attributeValueId, BigDecimal priceExtra) {
    }

    /** The id of the attribute named so (Color, Size), created when Odoo has none. */
    public long attribute(String name) {
        return attributeIds.computeIfAbsent(name, n -> {
            List<JsonNode> rows = odoo.searchRead("product.attribute", List.of(List.of("name", "=", n)), List.of("id"), 1, "id asc", null);
            return rows.isEmpty() ? odoo.createOne("product.attribute", Map.of("name", n), null) : rows.get(0).get("id").asLong();
        });
    }

    /** The ids of these values of one attribute, in the order given; the missing ones are created in one call. */
    public List<Long> attributeValues(long attributeId, List<String> names) {
        List<String> unknown = names.stream().filter(n -> !attributeValueIds.containsKey(attributeId + "/" + n)).distinct().toList();
        if (!unknown.isEmpty()) {
            Map<String, Long> found = new HashMap<>();
            for (JsonNode row : odoo.searchRead("product.attribute.value", List.of(List.of("attribute_id", "=", attributeId),
                    List.of("name", "in", unknown)), List.of("name"), null, "id asc", null)) {
                found.putIfAbsent(row.get("name").asText(), row.get("id").asLong());
            }
            List<String> missing = unknown.stream().filter(n -> !found.containsKey(n)).toList();
            List<Long> created = odoo.create("product.attribute.value",
                    missing.stream().<Map<String, Object>>map(n -> Map.of("name", n, "attribute_id", attributeId)).toList(), null);
            for (int i = 0; i < missing.size(); i++) {
                found.put(missing.get(i), created.get(i));
            }
            found.forEach((name, id) -> attributeValueIds.put(attributeId + "/" + name, id));
        }
        return names.stream().map(n -> attributeValueIds.get(attributeId + "/" + n)).toList();
    }

    /** Creates a storable template with one attribute line per attribute: Odoo generates a variant per combination. */
    public long createTemplateWithVariants(Map<String, Object> templateValues, Map<Long, List<Long>> valuesByAttribute) {
        Map<String, Object> values = new LinkedHashMap<>(templateValues);
        values.putAll(storableProduct());
        List<Object> lines = new ArrayList<>();
        valuesByAttribute.forEach((attribute, valueIds) -> lines.add(List.of(0, 0,
                Map.of("attribute_id", attribute, "value_ids", List.of(List.of(6, 0, valueIds))))));
        values.put("attribute_line_ids", lines);
        return odoo.createOne("product.template", values, null);
    }

    /** The template's variants, archived ones included, each with the attribute values it combines. */
    public List<Variant> variantsOf(long templateId, List<TemplateValue> templateValues) {
        Map<Long, Long> attributeValueOf = new HashMap<>();
        templateValues.forEach(v -> attributeValueOf.put(v.id(), v.attributeValueId()));
        List<Variant> variants = new ArrayList<>();
        for (JsonNode row : odoo.searchRead("product.product", List.of(List.of("product_tmpl_id", "=", templateId)),
                List.of("default_code", "active", "qty_available", "product_template_attribute_value_ids"), null, "id asc", ALL_RECORDS)) {
            Set<Long> values = new HashSet<>();
            row.path("product_template_attribute_value_ids").forEach(id -> values.add(attributeValueOf.get(id.asLong())));
            variants.add(new Variant(row.get("id").asLong(), text(row, "default_code"), row.path("active").asBoolean(true),
                    row.path("qty_available").decimalValue(), values));
        }
        return variants;
    }

    /** The values the template's attribute lines hold, with their price extras. */
    public List<TemplateValue> templateValues(long templateId) {
        List<TemplateValue> values = new ArrayList<>();
        for (JsonNode row : odoo.searchRead("product.template.attribute.value", List.of(List.of("product_tmpl_id", "=", templateId)),
                List.of("attribute_line_id", "attribute_id", "product_attribute_value_id", "price_extra"), null, "id asc", null)) {
            values.add(new TemplateValue(row.get("id").asLong(), row.path("attribute_line_id").path(0).asLong(),
                    row.path("attribute_id").path(0).asLong(), row.path("product_attribute_value_id").path(0).asLong(),
                    row.path("price_extra").decimalValue()));
        }
        return values;
    }

    /**
     * A template named so, with attribute lines, none of whose variants has a SKU: one an import
     * created and could not finish (its SKUs are written after Odoo generates the variants), so a
     * retry adopts it instead of creating a second one.
     */
    public Optional<Long> templateWithoutSkus(String name) {
        List<Long> named = new ArrayList<>();
        for (JsonNode row : odoo.searchRead("product.template", List.of(List.of("name", "=", name)), List.of("attribute_line_ids"),
                null, "id asc", ALL_RECORDS)) {
            if (!row.path("attribute_line_ids").isEmpty()) {
                named.add(row.get("id").asLong());
            }
        }
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> withSku = new HashSet<>();
        for (JsonNode row : odoo.searchRead("product.product", List.of(List.of("product_tmpl_id", "in", named)),
                List.of("default_code", "product_tmpl_id"), null, null, ALL_RECORDS)) {
            if (text(row, "default_code") != null) {
                withSku.add(row.path("product_tmpl_id").path(0).asLong());
            }
        }
        return named.stream().filter(id -> !withSku.contains(id)).findFirst();
    }

    /** Adds values to an attribute line: Odoo generates the variants of the new combinations. */
    public void addLineValues(long lineId, List<Long> attributeValueIds) {
        odoo.write("product.template.attribute.line", List.of(lineId),
                Map.of("value_ids", attributeValueIds.stream().map(id -> List.of(4, id)).toList()));
    }

    public void setPriceExtra(long templateValueId, BigDecimal extra) {
        odoo.write("product.template.attribute.value", List.of(templateValueId), Map.of("price_extra", extra));
    }

    public void updateVariant(long productId, Map<String, Object> values) {
        odoo.write("product.product", List.of(productId), values);
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
        JsonNode applied;
        // one count applied at a time: a real Odoo 17 applying two at once in one location fails one with a
        // serialization conflict and redoes it after a second or more (listings into Odoo 17: p50 8 s → 1.6 s)
        inventoryApplies.lock();
        try {
            applied = odoo.call("stock.quant", "action_apply_inventory", List.of(quant), Map.of());
        } finally {
            inventoryApplies.unlock();
        }
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

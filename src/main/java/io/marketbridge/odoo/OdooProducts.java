package io.marketbridge.odoo;

import io.marketbridge.model.ProductLinks;
import io.marketbridge.model.ProductNote;
import io.marketbridge.model.ProductUpsert;
import io.marketbridge.odoo.OdooCatalog.Product;
import io.marketbridge.odoo.OdooCatalog.TemplateValue;
import io.marketbridge.odoo.OdooCatalog.Variant;
import io.marketbridge.pipeline.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one writer of Odoo products from a channel's listings (mapping.md): {@link #upsertProduct}
 * makes or updates a single product by SKU, {@link #upsertTemplateWithVariants} one template whose
 * attribute lines come from the variants' values, each variant carrying its SKU. Both look up before
 * they create, write only what differs, seed stock and record the link on first import only, and
 * apply a listing's events one at a time and in order ({@link ProductLinks}).
 */
@Singleton
@Named("odooProducts")
public class OdooProducts {

    private static final Logger LOG = Logger.getLogger(OdooProducts.class);

    private final OdooCatalog catalog;
    private final ProductLinks links;
    private final MeterRegistry metrics;
    private final String companyCurrency;

    OdooProducts(OdooCatalog catalog, ProductLinks links, MeterRegistry metrics, OdooConfig config) {
        this.catalog = catalog;
        this.links = links;
        this.metrics = metrics;
        this.companyCurrency = config.currency();
    }

    /** A line in the product's chatter. */
    public void postNote(ProductNote note) {
        catalog.postNote("product.template", note.productTemplateId(), note.text());
    }

    /** A single product, found by its SKU. */
    public void upsertProduct(ProductUpsert product) throws SQLException {
        if (product.hasVariants()) {
            throw new IllegalArgumentException(product.describe() + " has variants: write it with upsertTemplateWithVariants");
        }
        links.inOrder(product, link -> writeProduct(product, link));
    }

    /** One template with a variant per combination the channel sells. */
    public void upsertTemplateWithVariants(ProductUpsert product) throws SQLException {
        if (!product.hasVariants()) {
            throw new IllegalArgumentException(product.describe() + " has no variants: write it with upsertProduct");
        }
        links.inOrder(product, link -> writeTemplateWithVariants(product, link));
    }

    private void writeProduct(ProductUpsert product, Optional<ProductLinks.Link> link) throws SQLException {
        String sku = product.sku();
        Map<String, Object> values = templateValues(product);
        Product current = catalog.productsBySku(List.of(sku)).get(sku);
        boolean created = current == null;
        if (created) {
            values.put("default_code", sku);
            current = withoutRejectedBarcode(product, values, () -> catalog.createProduct(values));
        } else {
            Map<String, Object> changes = changes(current, values);
            if (!changes.isEmpty()) {
                long template = current.templateId();
                withoutRejectedBarcode(product, changes, () -> {
                    catalog.updateTemplate(template, changes);
                    return null;
                });
            }
        }
        if (isFirstImport(link)) {
            // the stock first, as it completes the product for the seller; the external id and the note are ours
            // Odoo owns stock once it has some: the channel's quantity only seeds a product Odoo holds none of
            boolean odooHasStock = current.qtyAvailable() != null && current.qtyAvailable().signum() != 0;
            if (!odooHasStock && (created || product.onHand() > 0)) {
                catalog.setOnHand(current.id(), BigDecimal.valueOf(product.onHand()));
            }
            catalog.ensureExternalId(externalIdName(product), "product.template", current.templateId(), created);
            catalog.postNote("product.template", current.templateId(), "Imported from " + product.describe() + ".");
        }
        links.saveImported(product, current.templateId(), current.id());
        counted(product, created);
        LOG.infof("%s (%s) -> Odoo product %s, SKU %s: %s", product.describe(), product.eventName(), current.templateId(), sku,
                created ? "created" : "updated");
    }

    private void writeTemplateWithVariants(ProductUpsert product, Optional<ProductLinks.Link> link) throws SQLException {
        Map<String, Object> values = templateValues(product);
        Map<String, Long> attributeIds = new LinkedHashMap<>();
        Map<String, Map<String, Long>> valueIds = new HashMap<>(); // attribute → value name → product.attribute.value id
        Map<Long, BigDecimal> extras = new HashMap<>(); // product.attribute.value id → price extra
        for (ProductUpsert.Attribute attribute : product.attributes()) {
            long attributeId = catalog.attribute(attribute.name());
            attributeIds.put(attribute.name(), attributeId);
            List<String> names = attribute.values().stream().map(ProductUpsert.Value::name).toList();
            List<Long> ids = catalog.attributeValues(attributeId, names);
            Map<String, Long> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), ids.get(i));
                BigDecimal extra = attribute.values().get(i).priceExtra();
                if (extra != null) {
                    extras.put(ids.get(i), extra);
                }
            }
            valueIds.put(attribute.name(), byName);
        }

        // one lookup serves both finding the template and comparing its fields
        Collection<Product> known = catalog.productsBySku(product.variants().stream().map(ProductUpsert.Variant::sku).toList()).values();
        Long templateId = link.map(ProductLinks.Link::productTemplateId).orElse(null);
        if (templateId == null) {
            templateId = known.stream().map(Product::templateId).findFirst()
                    .or(() -> catalog.templateWithoutSkus(String.valueOf(values.get("name")))).orElse(null);
        }
        boolean created = templateId == null;
        Set<Long> variantsBefore = new HashSet<>();
        List<TemplateValue> templateValueRows;
        if (created) {
            Map<Long, List<Long>> lines = new LinkedHashMap<>();
            attributeIds.forEach((attribute, id) -> lines.put(id, List.copyOf(valueIds.get(attribute).values())));
            templateId = catalog.createTemplateWithVariants(values, lines);
            templateValueRows = catalog.templateValues(templateId);
        } else {
            templateValueRows = catalog.templateValues(templateId);
            catalog.variantsOf(templateId, templateValueRows).forEach(v -> variantsBefore.add(v.id()));
            updateTemplate(templateId, values, known);
            if (addMissingValues(product, templateId, templateValueRows, attributeIds, valueIds)) {
                templateValueRows = catalog.templateValues(templateId);
            }
        }
        List<Variant> variants = catalog.variantsOf(templateId, templateValueRows);
        setPriceExtras(templateValueRows, attributeIds, extras);

        Assigned assigned = assign(product, variants, valueIds, variantsBefore);

        if (isFirstImport(link)) {
            catalog.ensureExternalId(externalIdName(product), "product.template", templateId, created);
            catalog.postNote("product.template", templateId, "Imported from " + product.describe() + " with "
                    + product.variants().size() + " variations.");
        }
        links.saveImported(product, templateId, assigned.firstVariant());
        counted(product, created);
        LOG.infof("%s (%s) -> Odoo template %s with %d variations (%s): %s, %d stock seeded", product.describe(),
                product.eventName(), templateId, product.variants().size(),
                product.attributes().stream().map(ProductUpsert.Attribute::name).collect(Collectors.joining(", ")),
                created ? "created" : "updated", assigned.seeded());
    }

    /** What {@link #assign} did: the first variant's id (the listing's link) and how many variants got stock. */
    private record Assigned(long firstVariant, int seeded) {
    }

    /**
     * Each variant's SKU on the Odoo variant with its values (unarchived if need be), stock seeded on
     * variants new to us, and the combinations the channel does not sell archived.
     */
    private Assigned assign(ProductUpsert product, List<Variant> variants, Map<String, Map<String, Long>> valueIds, Set<Long> variantsBefore) {
        Long firstVariant = null;
        Set<Long> matched = new HashSet<>();
        int seeded = 0;
        for (ProductUpsert.Variant wantedVariant : product.variants()) {
            Set<Long> wanted = wantedVariant.values().entrySet().stream()
                    .map(e -> valueIds.get(e.getKey()).get(e.getValue())).collect(Collectors.toSet());
            Variant variant = variants.stream().filter(v -> v.attributeValueIds().containsAll(wanted) && !matched.contains(v.id()))
                    .findFirst().orElseThrow(() -> new PermanentFailure(product.channel(), "listing " + product.externalId()
                            + ": Odoo template has no variant " + wantedVariant.values() + " for SKU " + wantedVariant.sku()));
            matched.add(variant.id());
            firstVariant = firstVariant == null ? variant.id() : firstVariant;
            Map<String, Object> changes = new LinkedHashMap<>();
            if (!wantedVariant.sku().equals(variant.sku())) {
                changes.put("default_code", wantedVariant.sku());
            }
            if (!variant.active()) {
                changes.put("active", true); // the channel sells it again
            }
            if (!changes.isEmpty()) {
                catalog.updateVariant(variant.id(), changes);
            }
            // Odoo owns stock once it has some: a variant seeds only one new to us that Odoo holds none of
            boolean newToUs = variant.sku() == null || !variantsBefore.contains(variant.id());
            boolean odooHasStock = variant.qtyAvailable() != null && variant.qtyAvailable().signum() != 0;
            if (newToUs && !odooHasStock && wantedVariant.onHand() > 0) {
                catalog.setOnHand(variant.id(), BigDecimal.valueOf(wantedVariant.onHand()));
                seeded++;
            }
        }
        // Odoo makes every combination; those the channel does not sell are archived, unless we ever gave them a SKU
        for (Variant variant : variants) {
            if (!matched.contains(variant.id()) && variant.active() && variant.sku() == null) {
                catalog.updateVariant(variant.id(), Map.of("active", false));
            }
        }
        return new Assigned(firstVariant, seeded);
    }

    /** Only what differs, read through one of the template's variants (the fields compared are the template's). */
    private void updateTemplate(long templateId, Map<String, Object> values, Collection<Product> known) {
        Product current = known.stream().filter(p -> p.templateId() == templateId).findFirst().orElse(null);
        Map<String, Object> changes = current == null ? values : changes(current, values);
        changes.remove("sale_ok");
        if (!changes.isEmpty()) {
            catalog.updateTemplate(templateId, changes);
        }
    }

    /** New values of known attributes join their lines; an attribute the template lacks is for a person to add. */
    private boolean addMissingValues(ProductUpsert product, long templateId, List<TemplateValue> rows, Map<String, Long> attributeIds,
            Map<String, Map<String, Long>> valueIds) {
        boolean added = false;
        for (Map.Entry<String, Long> attribute : attributeIds.entrySet()) {
            List<TemplateValue> ofAttribute = rows.stream().filter(r -> r.attributeId() == attribute.getValue()).toList();
            if (ofAttribute.isEmpty()) {
                throw new PermanentFailure(product.channel(), "listing " + product.externalId() + " now varies by " + attribute.getKey()
                        + ", which Odoo template " + templateId + " has no attribute line for: add the attribute to the template"
                        + " in Odoo (Odoo then rebuilds its variants), then replay this dead letter");
            }
            Set<Long> present = ofAttribute.stream().map(TemplateValue::attributeValueId).collect(Collectors.toSet());
            List<Long> missing = valueIds.get(attribute.getKey()).values().stream().filter(id -> !present.contains(id)).toList();
            if (!missing.isEmpty()) {
                catalog.addLineValues(ofAttribute.get(0).lineId(), missing);
                added = true;
            }
        }
        return added;
    }

    /** Writes the extras that differ from what the template's values carry; values the channel no longer sells get none. */
    private void setPriceExtras(List<TemplateValue> rows, Map<String, Long> attributeIds, Map<Long, BigDecimal> extras) {
        if (extras.isEmpty()) {
            return;
        }
        Set<Long> ourAttributes = Set.copyOf(attributeIds.values());
        for (TemplateValue row : rows) {
            BigDecimal extra = extras.getOrDefault(row.attributeValueId(), BigDecimal.ZERO);
            if (ourAttributes.contains(row.attributeId()) && (row.priceExtra() == null || row.priceExtra().compareTo(extra) != 0)) {
                catalog.setPriceExtra(row.id(), extra);
            }
        }
    }

    /** The template's fields; the category path is made in Odoo where it is missing. */
    private Map<String, Object> templateValues(ProductUpsert product) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", product.name());
        if (product.price() != null) {
            values.put("list_price", product.price());
            if (product.currency() != null && !product.currency().equalsIgnoreCase(companyCurrency)) {
                LOG.warnf("Listing %s is priced in %s, not the company currency %s: imported as is, not converted",
                        product.externalId(), product.currency(), companyCurrency);
                metrics.counter("marketbridge." + product.channel() + ".listings.foreign_currency", "currency", product.currency())
                        .increment();
            }
        }
        if (product.descriptionSale() != null) {
            values.put("description_sale", product.descriptionSale());
        }
        values.put("categ_id", catalog.category(product.categoryPath()));
        if (product.barcode() != null) {
            values.put("barcode", product.barcode());
        }
        values.put("sale_ok", true);
        return values;
    }

    /** Only what differs, so an unchanged revision costs no write. */
    static Map<String, Object> changes(Product product, Map<String, Object> values) {
        Map<String, Object> changes = new LinkedHashMap<>(values);
        changes.remove("sale_ok");
        if (Objects.equals(product.name(), changes.get("name"))) {
            changes.remove("name");
        }
        if (changes.get("list_price") instanceof BigDecimal price && product.listPrice() != null
                && price.compareTo(product.listPrice()) == 0) {
            changes.remove("list_price");
        }
        if (Objects.equals(product.descriptionSale(), changes.get("description_sale"))) {
            changes.remove("description_sale");
        }
        if (Objects.equals(product.categoryId(), changes.get("categ_id"))) {
            changes.remove("categ_id");
        }
        if (Objects.equals(product.barcode(), changes.get("barcode"))) {
            changes.remove("barcode");
        }
        return changes;
    }

    /**
     * Odoo rejects a barcode another product already has. That is an error for the barcode only
     * (mapping.md): the product is written without it, and the conflict is logged and counted.
     */
    private <T> T withoutRejectedBarcode(ProductUpsert product, Map<String, Object> values, Supplier<T> write) {
        try {
            return write.get();
        } catch (PermanentFailure e) {
            if (!values.containsKey("barcode") || !e.getMessage().contains("ValidationError") || !e.getMessage().toLowerCase().contains("barcode")) {
                throw e;
            }
            LOG.warnf("Listing %s: Odoo rejected barcode %s (%s); imported without it", product.externalId(), values.get("barcode"), e.getMessage());
            metrics.counter("marketbridge." + product.channel() + ".listings.barcode_rejected").increment();
            values.remove("barcode");
            return write.get();
        }
    }

    /** The link, external id, note and stock seed are made once: on the listing's first import. */
    private static boolean isFirstImport(Optional<ProductLinks.Link> link) {
        return link.map(l -> l.productId() == null).orElse(true);
    }

    /** {@code marketbridge.ebay_item_<ItemID>}. */
    private static String externalIdName(ProductUpsert product) {
        return OdooCatalog.externalIdName(product.channel() + "_item_", product.externalId());
    }

    private void counted(ProductUpsert product, boolean created) {
        metrics.counter("marketbridge." + product.channel() + ".listings.imported", "action", created ? "created" : "updated").increment();
    }
}

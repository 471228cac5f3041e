package io.marketbridge.ebay;

import io.marketbridge.model.EbayListing;
import io.marketbridge.model.EbayListing.Variation;
import io.marketbridge.odoo.OdooCatalog;
import io.marketbridge.odoo.OdooCatalog.TemplateValue;
import io.marketbridge.odoo.OdooCatalog.Variant;
import io.marketbridge.pipeline.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A multi-variation eBay listing → one Odoo template (mapping.md): its attributes come from the
 * variations' specifics, and each variation is the variant with those values, carrying the
 * variation's SKU. Odoo prices a variant as the template price plus its values' extras, so the
 * template gets the lowest variation price and the values the differences. Called by
 * {@link EbayListingImport} under the listing's lock, after its staleness check.
 */
@Singleton
public class EbayVariationImport {

    private static final Logger LOG = Logger.getLogger(EbayVariationImport.class);

    private final OdooCatalog catalog;
    private final EbayListings listings;
    private final MeterRegistry metrics;

    EbayVariationImport(OdooCatalog catalog, EbayListings listings, MeterRegistry metrics) {
        this.catalog = catalog;
        this.listings = listings;
        this.metrics = metrics;
    }

    /** The variations of one listing, their SKUs filled in and their attributes in order of first appearance. */
    private record Variations(List<Variation> all, List<String> attributes) {

        static Variations of(EbayListing listing) {
            List<Variation> all = new ArrayList<>();
            Set<String> attributes = new LinkedHashSet<>();
            Set<String> skus = new HashSet<>();
            for (Variation v : listing.variations()) {
                if (v.specifics().isEmpty()) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + ": variation " + v.sku() + " names no specifics");
                }
                // a variation without a SKU gets one derived from its values, stable across revisions
                String sku = v.sku() != null ? v.sku() : listing.productKey() + "-" + String.join("-", v.specifics().values());
                if (!skus.add(sku)) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + " names SKU " + sku + " for two variations");
                }
                all.add(new Variation(sku, v.price() != null ? v.price() : listing.price(), v.quantity(), v.quantitySold(), v.specifics()));
                attributes.addAll(v.specifics().keySet());
            }
            for (Variation v : all) {
                if (!v.specifics().keySet().containsAll(attributes)) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + ": variation " + v.sku() + " does not name "
                            + attributes.stream().filter(a -> !v.specifics().containsKey(a)).toList()
                            + ", which the other variations do");
                }
            }
            return new Variations(all, List.copyOf(attributes));
        }

        List<String> valuesOf(String attribute) {
            return all.stream().map(v -> v.specifics().get(attribute)).distinct().toList();
        }

        BigDecimal lowestPrice() {
            return all.stream().map(Variation::price).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** Creates or updates the listing's template and variants; {@code templateValues} are a single listing's (name, category...). */
    void upsert(EbayListing listing, Optional<EbayListings.Link> link, Map<String, Object> templateValues) throws SQLException {
        Variations variations = Variations.of(listing);
        Map<String, Long> attributeIds = new LinkedHashMap<>();
        Map<String, Map<String, Long>> valueIds = new HashMap<>(); // attribute → value name → product.attribute.value id
        for (String attribute : variations.attributes()) {
            long attributeId = catalog.attribute(attribute);
            attributeIds.put(attribute, attributeId);
            List<String> names = variations.valuesOf(attribute);
            List<Long> ids = catalog.attributeValues(attributeId, names);
            Map<String, Long> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), ids.get(i));
            }
            valueIds.put(attribute, byName);
        }
        Map<String, Object> values = new LinkedHashMap<>(templateValues);
        values.remove("barcode"); // a barcode belongs to one variant, never to a template of several
        BigDecimal basePrice = variations.lowestPrice();
        if (basePrice != null) {
            values.put("list_price", basePrice);
        }

        Map<Long, BigDecimal> extras = priceExtras(listing, variations, basePrice, valueIds); // refused before anything is written

        // one lookup serves both finding the template and comparing its fields
        Collection<OdooCatalog.Product> known = catalog.productsBySku(variations.all().stream().map(Variation::sku).toList()).values();
        Long templateId = link.map(EbayListings.Link::productTemplateId).orElse(null);
        if (templateId == null) {
            templateId = known.stream().map(OdooCatalog.Product::templateId).findFirst()
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
            if (addMissingValues(listing, templateId, templateValueRows, attributeIds, valueIds)) {
                templateValueRows = catalog.templateValues(templateId);
            }
        }
        List<Variant> variants = catalog.variantsOf(templateId, templateValueRows);
        setPriceExtras(templateValueRows, attributeIds, extras);

        Assigned assigned = assign(listing, variations, variants, valueIds, variantsBefore);

        if (link.map(l -> l.productId() == null).orElse(true)) {
            catalog.ensureExternalId(OdooCatalog.externalIdName("ebay_item_", listing.itemId()), "product.template", templateId, created);
            catalog.postNote("product.template", templateId, "Imported from eBay listing " + listing.itemId() + " with "
                    + variations.all().size() + " variations.");
        }
        listings.saveImported(listing.itemId(), listing.productKey(), listing.categoryId(), templateId, assigned.firstVariant(), listing.eventTime());
        Map<String, Boolean> variationSkus = new LinkedHashMap<>();
        listing.variations().stream().filter(v -> v.sku() != null && !v.sku().isBlank()).forEach(v -> variationSkus.put(v.sku(), true));
        listings.saveSkus(listing.itemId(), listing.currency(), variationSkus);
        metrics.counter("marketbridge.ebay.listings.imported", "action", created ? "created" : "updated").increment();
        LOG.infof("eBay listing %s (%s) -> Odoo template %s with %d variations (%s): %s, %d stock seeded", listing.itemId(),
                listing.eventName(), templateId, variations.all().size(), String.join(", ", variations.attributes()),
                created ? "created" : "updated", assigned.seeded());
    }

    /** What {@link #assign} did: the first variation's variant (the listing's link) and how many variants got stock. */
    private record Assigned(long firstVariant, int seeded) {
    }

    /**
     * Each variation's SKU on the variant with its values (unarchived if need be), stock seeded on
     * variants new to us, and the combinations eBay does not sell archived.
     */
    private Assigned assign(EbayListing listing, Variations variations, List<Variant> variants, Map<String, Map<String, Long>> valueIds,
            Set<Long> variantsBefore) {
        Long firstVariant = null;
        Set<Long> matched = new HashSet<>();
        int seeded = 0;
        for (Variation variation : variations.all()) {
            Set<Long> wanted = variation.specifics().entrySet().stream()
                    .map(e -> valueIds.get(e.getKey()).get(e.getValue())).collect(Collectors.toSet());
            Variant variant = variants.stream().filter(v -> v.attributeValueIds().containsAll(wanted) && !matched.contains(v.id()))
                    .findFirst().orElseThrow(() -> new PermanentFailure("ebay", "listing " + listing.itemId() + ": Odoo template has no variant "
                            + variation.specifics() + " for SKU " + variation.sku()));
            matched.add(variant.id());
            firstVariant = firstVariant == null ? variant.id() : firstVariant;
            Map<String, Object> changes = new LinkedHashMap<>();
            if (!variation.sku().equals(variant.sku())) {
                changes.put("default_code", variation.sku());
            }
            if (!variant.active()) {
                changes.put("active", true); // eBay sells it again
            }
            if (!changes.isEmpty()) {
                catalog.updateVariant(variant.id(), changes);
            }
            // Odoo owns stock once it has some: a variation seeds only a variant new to us that Odoo holds none of
            boolean newToUs = variant.sku() == null || !variantsBefore.contains(variant.id());
            boolean odooHasStock = variant.qtyAvailable() != null && variant.qtyAvailable().signum() != 0;
            if (newToUs && !odooHasStock && variation.available() > 0) {
                catalog.setOnHand(variant.id(), BigDecimal.valueOf(variation.available()));
                seeded++;
            }
        }
        // Odoo makes every combination; those eBay does not sell are archived, unless we ever gave them a SKU
        for (Variant variant : variants) {
            if (!matched.contains(variant.id()) && variant.active() && variant.sku() == null) {
                catalog.updateVariant(variant.id(), Map.of("active", false));
            }
        }

        return new Assigned(firstVariant, seeded);
    }

    /** Only what differs, read through one of the template's variants (the fields compared are the template's). */
    private void updateTemplate(long templateId, Map<String, Object> values, Collection<OdooCatalog.Product> known) {
        OdooCatalog.Product current = known.stream().filter(p -> p.templateId() == templateId).findFirst().orElse(null);
        Map<String, Object> changes = current == null ? values : EbayListingImport.changes(current, values);
        changes.remove("sale_ok");
        if (!changes.isEmpty()) {
            catalog.updateTemplate(templateId, changes);
        }
    }

    /** New values of known attributes join their lines; an attribute the template lacks is for a person to add. */
    private boolean addMissingValues(EbayListing listing, long templateId, List<TemplateValue> rows, Map<String, Long> attributeIds,
            Map<String, Map<String, Long>> valueIds) {
        boolean added = false;
        for (Map.Entry<String, Long> attribute : attributeIds.entrySet()) {
            List<TemplateValue> ofAttribute = rows.stream().filter(r -> r.attributeId() == attribute.getValue()).toList();
            if (ofAttribute.isEmpty()) {
                throw new PermanentFailure("ebay", "listing " + listing.itemId() + " now varies by " + attribute.getKey()
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

    /**
     * Variant price = template price + the extras of its values. The template takes the lowest
     * variation price. When one attribute alone decides the price (a bigger size costs more), its
     * values carry the differences; otherwise the extras are solved for all values at once (a size
     * and a colour surcharge). Prices no such sum can give are refused: an approximated price in
     * Odoo would be pushed back to eBay as the new price.
     */
    private static Map<Long, BigDecimal> priceExtras(EbayListing listing, Variations variations, BigDecimal basePrice,
            Map<String, Map<String, Long>> valueIds) {
        if (basePrice == null) {
            return Map.of();
        }
        List<List<Long>> combinations = new ArrayList<>();
        List<BigDecimal> surcharges = new ArrayList<>();
        for (Variation v : variations.all()) {
            if (v.price() != null) {
                combinations.add(variations.attributes().stream().map(a -> valueIds.get(a).get(v.specifics().get(a))).toList());
                surcharges.add(v.price().subtract(basePrice));
            }
        }
        String pricing = variations.attributes().stream().filter(a -> decidesPrice(variations, a)).findFirst().orElse(null);
        return pricing != null
                ? extrasOf(combinations, surcharges, variations.attributes().indexOf(pricing))
                : PriceExtras.solve(combinations, surcharges).orElseThrow(() -> new PermanentFailure("ebay", "listing "
                        + listing.itemId() + ": its variation prices are not one price plus a surcharge per value ("
                        + variations.all().stream().map(v -> v.specifics().values() + " " + v.price()).toList()
                        + "), which is all Odoo's variant prices can say; set them in Odoo by hand or align them on eBay"));
    }

    /** Writes the extras that differ from what the template's values carry. */
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

    /** The surcharge of each value of the attribute at {@code position}, the one that decides the price. */
    private static Map<Long, BigDecimal> extrasOf(List<List<Long>> combinations, List<BigDecimal> surcharges, int position) {
        Map<Long, BigDecimal> extras = new HashMap<>();
        for (int i = 0; i < combinations.size(); i++) {
            extras.put(combinations.get(i).get(position), surcharges.get(i));
        }
        return extras;
    }

    private static boolean decidesPrice(Variations variations, String attribute) {
        Map<String, BigDecimal> priceByValue = new HashMap<>();
        for (Variation v : variations.all()) {
            BigDecimal known = priceByValue.putIfAbsent(v.specifics().get(attribute), v.price());
            if (known != null && v.price() != null && known.compareTo(v.price()) != 0) {
                return false;
            }
        }
        return true;
    }
}

package io.marketbridge.ebay.listings;

import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.EbayListing.Variation;
import io.marketbridge.model.ProductUpsert;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An eBay listing as a {@link ProductUpsert} (mapping.md, "eBay listing → product"): no I/O, no
 * Camel, no Odoo. The price is the seller's own: StartPrice, which a markdown sale or a strike-through
 * price leaves as it is (the notification parser takes SellingStatus.CurrentPrice only when there is
 * no StartPrice), so a temporary discount never becomes Odoo's price and is never pushed back to eBay.
 * A multi-variation listing becomes a template priced at its lowest variation, each other price
 * expressed as surcharges per value; prices no such sum can give are refused, not approximated.
 */
@Singleton
@Named("ebayListingMapper")
public class EbayListingMapper {

    static final String CHANNEL = "ebay";
    private static final int MAX_DESCRIPTION = 4000;
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]+);");

    private final List<String> categoryRoot;

    @Inject
    EbayListingMapper(EbayConfig config) {
        this(rootPath(config.categories().root()));
    }

    EbayListingMapper(List<String> categoryRoot) {
        this.categoryRoot = List.copyOf(categoryRoot);
    }

    public ProductUpsert toProductUpsert(EbayListing listing) {
        String name = listing.title() == null || listing.title().isBlank() ? "eBay item " + listing.itemId() : listing.title();
        List<String> categoryPath = categoryPath(listing.categoryPath());
        if (listing.variations().isEmpty()) {
            return new ProductUpsert(CHANNEL, "eBay", listing.itemId(), listing.eventName(), listing.eventTime(), listing.productKey(),
                    name, listing.price(), listing.currency(), plainText(listing.description()), categoryPath, listing.categoryId(),
                    listing.barcode(), listing.available(), List.of(), List.of());
        }
        Variations variations = Variations.of(listing);
        BigDecimal lowest = variations.lowestPrice();
        Map<ValueKey, BigDecimal> extras = priceExtras(listing, variations, lowest);
        List<ProductUpsert.Attribute> attributes = variations.attributes().stream().map(attribute -> new ProductUpsert.Attribute(attribute,
                variations.valuesOf(attribute).stream().map(value -> new ProductUpsert.Value(value,
                        extras.isEmpty() ? null : extras.getOrDefault(new ValueKey(attribute, value), BigDecimal.ZERO))).toList())).toList();
        // a barcode belongs to one variant, never to a template of several
        return new ProductUpsert(CHANNEL, "eBay", listing.itemId(), listing.eventName(), listing.eventTime(), listing.productKey(),
                name, lowest != null ? lowest : listing.price(), listing.currency(), plainText(listing.description()), categoryPath,
                listing.categoryId(), null, listing.available(), attributes, variations.variants());
    }

    /** {@code "All / eBay"} → {@code [All, eBay]}: the configured root shared with the category tree import. */
    public static List<String> rootPath(String configured) {
        return Arrays.stream(configured.split("/")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** eBay's colon-separated path under the configured root. */
    List<String> categoryPath(String ebayPath) {
        List<String> path = new ArrayList<>(categoryRoot);
        if (ebayPath != null) {
            Arrays.stream(ebayPath.split(":")).map(String::trim).filter(s -> !s.isEmpty()).forEach(path::add);
        }
        return path;
    }

    /** One value of one attribute: value names repeat across attributes (a "Large" size and a "Large" pattern). */
    private record ValueKey(String attribute, String value) {
    }

    /** The variations of one listing, their SKUs filled in and their attributes in order of first appearance. */
    private record Variations(List<ProductUpsert.Variant> variants, List<String> attributes) {

        static Variations of(EbayListing listing) {
            List<ProductUpsert.Variant> variants = new ArrayList<>();
            Set<String> attributes = new LinkedHashSet<>();
            Set<String> skus = new HashSet<>();
            for (Variation v : listing.variations()) {
                if (v.specifics().isEmpty()) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + ": variation " + v.sku() + " names no specifics");
                }
                // a variation without a SKU gets one derived from its values, stable across revisions
                boolean skuFromEbay = v.sku() != null && !v.sku().isBlank();
                String sku = v.sku() != null ? v.sku() : listing.productKey() + "-" + String.join("-", v.specifics().values());
                if (!skus.add(sku)) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + " names SKU " + sku + " for two variations");
                }
                variants.add(new ProductUpsert.Variant(sku, skuFromEbay, v.price() != null ? v.price() : listing.price(), v.available(),
                        v.specifics()));
                attributes.addAll(v.specifics().keySet());
            }
            for (ProductUpsert.Variant v : variants) {
                if (!v.values().keySet().containsAll(attributes)) {
                    throw new PermanentFailure("ebay", "listing " + listing.itemId() + ": variation " + v.sku() + " does not name "
                            + attributes.stream().filter(a -> !v.values().containsKey(a)).toList()
                            + ", which the other variations do");
                }
            }
            return new Variations(variants, List.copyOf(attributes));
        }

        List<String> valuesOf(String attribute) {
            return variants.stream().map(v -> v.values().get(attribute)).distinct().toList();
        }

        BigDecimal lowestPrice() {
            return variants.stream().map(ProductUpsert.Variant::price).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        }
    }

    /**
     * Variant price = template price + the extras of its values. When one attribute alone decides the
     * price (a bigger size costs more), its values carry the differences; otherwise the extras are
     * solved for all values at once (a size and a colour surcharge). Prices no such sum can give are
     * refused: an approximated price in Odoo would be pushed back to eBay as the new price.
     */
    private static Map<ValueKey, BigDecimal> priceExtras(EbayListing listing, Variations variations, BigDecimal basePrice) {
        if (basePrice == null) {
            return Map.of();
        }
        List<List<ValueKey>> combinations = new ArrayList<>();
        List<BigDecimal> surcharges = new ArrayList<>();
        for (ProductUpsert.Variant v : variations.variants()) {
            if (v.price() != null) {
                combinations.add(variations.attributes().stream().map(a -> new ValueKey(a, v.values().get(a))).toList());
                surcharges.add(v.price().subtract(basePrice));
            }
        }
        String pricing = variations.attributes().stream().filter(a -> decidesPrice(variations, a)).findFirst().orElse(null);
        return pricing != null
                ? extrasOf(combinations, surcharges, variations.attributes().indexOf(pricing))
                : PriceExtras.solve(combinations, surcharges).orElseThrow(() -> new PermanentFailure("ebay", "listing "
                        + listing.itemId() + ": its variation prices are not one price plus a surcharge per value ("
                        + variations.variants().stream().map(v -> v.values().values() + " " + v.price()).toList()
                        + "), which is all Odoo's variant prices can say; set them in Odoo by hand or align them on eBay"));
    }

    /** The surcharge of each value of the attribute at {@code position}, the one that decides the price. */
    private static Map<ValueKey, BigDecimal> extrasOf(List<List<ValueKey>> combinations, List<BigDecimal> surcharges, int position) {
        Map<ValueKey, BigDecimal> extras = new HashMap<>();
        for (int i = 0; i < combinations.size(); i++) {
            extras.put(combinations.get(i).get(position), surcharges.get(i));
        }
        return extras;
    }

    private static boolean decidesPrice(Variations variations, String attribute) {
        Map<String, BigDecimal> priceByValue = new HashMap<>();
        for (ProductUpsert.Variant v : variations.variants()) {
            BigDecimal known = priceByValue.putIfAbsent(v.values().get(attribute), v.price());
            if (known != null && v.price() != null && known.compareTo(v.price()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** eBay descriptions are HTML: Odoo's sale description is plain text. */
    static String plainText(String html) {
        if (html == null) {
            return null;
        }
        String text = html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?i)<br\\s*/?>|</(p|div|li|h[1-6]|tr|table|ul|ol)>", "\n")
                .replaceAll("<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'");
        text = decodeNumericEntities(text).replace("&amp;", "&")
                .replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\\n[ \\n]*", "\n").trim();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    private static String decodeNumericEntities(String text) {
        Matcher matcher = NUMERIC_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            int codePoint;
            try {
                codePoint = Integer.parseInt(matcher.group(2), matcher.group(1).isEmpty() ? 10 : 16);
            } catch (NumberFormatException e) {
                codePoint = '?';
            }
            String replacement = Character.isValidCodePoint(codePoint) ? new String(Character.toChars(codePoint)) : "?";
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}

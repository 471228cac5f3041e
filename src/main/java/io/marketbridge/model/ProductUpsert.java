package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel's listing as the one Odoo product writer takes it: each channel maps its listings into
 * this, the route decides from {@link #hasVariants()} how it is written, and the writer makes the
 * product once (looked up by {@link #sku()}, or by its variants' SKUs).
 *
 * @param channel           the channel's key ({@code ebay}), first part of the Odoo external id {@code <channel>_item_<externalId>}
 * @param channelName       the channel as people name it ({@code eBay})
 * @param externalId        the channel's listing id (eBay ItemID)
 * @param eventName         what the channel said happened (ItemListed, ItemRevised)
 * @param eventTime         when; an older event than the last one applied to the listing is skipped
 * @param sku               the product key: the seller's SKU or one derived from the listing id
 * @param name              the product name
 * @param price             the template's list price; for variants the lowest variant price (null: left as it is)
 * @param currency          the currency of the prices, as the channel states it (never converted)
 * @param descriptionSale   plain text (null: none)
 * @param categoryPath      the Odoo category path, root first ({@code [All, eBay, Cameras & Photo]})
 * @param channelCategoryId the channel's own category id, kept with the link
 * @param barcode           a valid EAN/UPC of a single product (null: none; never on a template of variants)
 * @param onHand            the quantity to seed on first import of a single product
 * @param attributes        the variants' attributes in order of first appearance, each value with its price extra
 * @param variants          the variants (empty: a single product)
 */
@RegisterForReflection // routes read it (simple language) in the native image too
public record ProductUpsert(String channel, String channelName, String externalId, String eventName, Instant eventTime, String sku,
        String name, BigDecimal price, String currency, String descriptionSale, List<String> categoryPath, String channelCategoryId,
        String barcode, int onHand, List<Attribute> attributes, List<Variant> variants) {

    public ProductUpsert {
        categoryPath = List.copyOf(categoryPath);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        variants = variants == null ? List.of() : List.copyOf(variants);
    }

    /** One template with a variant per combination the channel sells, rather than a single product. */
    public boolean hasVariants() {
        return !variants.isEmpty();
    }

    /** For messages: {@code eBay listing 1234}. */
    public String describe() {
        return channelName + " listing " + externalId;
    }

    /**
     * An attribute (Color) and its values in order of first appearance.
     */
    @RegisterForReflection
    public record Attribute(String name, List<Value> values) {

        public Attribute {
            values = List.copyOf(values);
        }
    }

    /**
     * A value (Red) and its surcharge over the template price, Odoo's {@code price_extra}: a variant
     * costs the template price plus the extras of its values. Null when no variant is priced.
     */
    @RegisterForReflection
    public record Value(String name, BigDecimal priceExtra) {
    }

    /**
     * A variant the channel sells.
     *
     * @param sku            its SKU, derived from the values when the channel names none
     * @param skuFromChannel the channel names this SKU (only those are recorded as sold there)
     * @param price          its price (null: unpriced)
     * @param onHand         the quantity to seed when the variant is new to us
     * @param values         attribute → value ({@code Color = Red})
     */
    @RegisterForReflection
    public record Variant(String sku, boolean skuFromChannel, BigDecimal price, int onHand, Map<String, String> values) {

        public Variant {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // in the channel's order
        }
    }
}

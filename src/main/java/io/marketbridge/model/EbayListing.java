package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An eBay listing as a Platform Notification describes it at {@code eventTime}.
 *
 * @param price        StartPrice for fixed-price listings, else the current price
 * @param categoryPath  eBay's colon-separated category path ("Cameras & Photo:Digital Cameras")
 * @param hasVariations a multi-variation listing
 * @param variations    its variations, where the source names them (Platform Notifications do; an
 *                      Inventory API item of a group does not)
 */
@RegisterForReflection
public record EbayListing(String eventName, Instant eventTime, String itemId, String sku, String title,
        String description, BigDecimal price, String currency, int quantity, int quantitySold, String categoryId,
        String categoryPath, String listingStatus, String barcode, String pictureUrl, boolean hasVariations,
        List<Variation> variations) {

    /** One variation of a multi-variation listing: its own SKU, price, quantity and specifics ("Color" = "Red"). */
    @RegisterForReflection
    public record Variation(String sku, BigDecimal price, int quantity, int quantitySold, Map<String, String> specifics) {

        public int available() {
            return Math.max(0, quantity - quantitySold);
        }
    }

    public EbayListing {
        variations = variations == null ? List.of() : List.copyOf(variations);
    }

    /** The Odoo product key: the seller's SKU, or {@code ebay-<ItemID>} for a listing without one. */
    public String productKey() {
        return sku == null || sku.isBlank() ? "ebay-" + itemId : sku;
    }

    public int available() {
        return Math.max(0, quantity - quantitySold);
    }
}

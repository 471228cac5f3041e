package io.marketbridge.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An eBay listing as a Platform Notification describes it at {@code eventTime}.
 *
 * @param price        StartPrice for fixed-price listings, else the current price
 * @param categoryPath eBay's colon-separated category path ("Cameras & Photo:Digital Cameras")
 */
public record EbayListing(String eventName, Instant eventTime, String itemId, String sku, String title,
        String description, BigDecimal price, String currency, int quantity, int quantitySold, String categoryId,
        String categoryPath, String listingStatus, String barcode, String pictureUrl, boolean hasVariations) {

    /** The Odoo product key: the seller's SKU, or {@code ebay-<ItemID>} for a listing without one. */
    public String productKey() {
        return sku == null || sku.isBlank() ? "ebay-" + itemId : sku;
    }

    public int available() {
        return Math.max(0, quantity - quantitySold);
    }
}

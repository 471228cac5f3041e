package io.marketbridge.ebay.listings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.api.EbayTrading;
import io.marketbridge.ebay.notifications.EbayPlatformNotifications;
import io.marketbridge.ebay.notifications.PlatformNotificationParser;
import io.marketbridge.ebay.trading.TradingResponse;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.ProductNote;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.w3c.dom.Element;

import java.io.IOException;
import java.sql.SQLException;

/**
 * eBay listings as the listing routes take them (routes/ebay-listings.yaml): the source step of the
 * product import (the listing an event describes, whole), and the record of a listing that ended.
 */
@Singleton
@Named("ebayListingImport")
public class EbayListingImport {

    private final EbayListings listings;
    private final EbayTrading trading;
    private final PlatformNotificationParser parser;
    private final ObjectMapper json;

    EbayListingImport(EbayListings listings, EbayTrading trading, PlatformNotificationParser parser,
            ObjectMapper json) {
        this.listings = listings;
        this.trading = trading;
        this.parser = parser;
        this.json = json;
    }

    /** ItemListed, ItemRevised, or a listing the inventory poll or the backfill found missing in Odoo. */
    public EbayListing fromEvent(InboxEvent event) {
        EbayListing listing = read(event);
        return listing.hasVariations() && listing.variations().isEmpty() ? withVariations(listing) : listing;
    }

    /**
     * An Inventory API item of a group (the safety-net poll) names no variations: the listing as
     * GetItem returns it does, so the whole listing is imported as its notification would have.
     */
    private EbayListing withVariations(EbayListing listing) {
        Element answer = trading.call("GetItem", "<ItemID>" + EbayTrading.escape(listing.itemId()) + "</ItemID>"
                + "<DetailLevel>ReturnAll</DetailLevel>").document().getDocumentElement();
        TradingResponse response = parser.response(answer);
        EbayListing full = response.item == null ? null : EbayPlatformNotifications.listing(listing.eventName(), listing.eventTime(), response.item);
        if (full == null || full.variations().isEmpty()) {
            throw new PermanentFailure("ebay", "listing " + listing.itemId() + ": its inventory items form a group, but GetItem names no variations");
        }
        return full;
    }

    /**
     * ItemClosed: the listing is recorded as ended (the Odoo product is never deleted); returns the note
     * for its Odoo product, or null when the listing was never imported or a newer event was applied.
     */
    public ProductNote end(InboxEvent event) throws SQLException {
        EbayListing listing = read(event);
        ProductNote[] note = new ProductNote[1];
        listings.inOrder(listing.itemId(), listing.eventName(), listing.eventTime(), link -> {
            listings.saveEnded(listing.itemId(), link.map(EbayListings.Link::sku).orElse(listing.productKey()), listing.categoryId(),
                    listing.eventTime());
            link.map(EbayListings.Link::productTemplateId)
                    .ifPresent(template -> note[0] = new ProductNote(template, "eBay listing " + listing.itemId() + " ended."));
        });
        return note[0];
    }

    private EbayListing read(InboxEvent event) {
        try {
            return json.readValue(event.payload(), EbayListing.class);
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable listing event " + event.key() + ": " + e.getMessage(), e);
        }
    }
}

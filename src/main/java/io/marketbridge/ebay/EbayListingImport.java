package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.trading.TradingResponse;
import io.marketbridge.model.EbayListing;
import io.marketbridge.odoo.OdooCatalog;
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

    private final OdooCatalog catalog;
    private final EbayListings listings;
    private final EbayTrading trading;
    private final PlatformNotificationParser parser;
    private final ObjectMapper json;

    EbayListingImport(OdooCatalog catalog, EbayListings listings, EbayTrading trading, PlatformNotificationParser parser,
            ObjectMapper json) {
        this.catalog = catalog;
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

    /** ItemClosed: the listing is recorded as ended; the Odoo product is never deleted. */
    public void end(InboxEvent event) throws SQLException {
        EbayListing listing = read(event);
        listings.inOrder(listing.itemId(), listing.eventName(), listing.eventTime(), link -> {
            listings.saveEnded(listing.itemId(), link.map(EbayListings.Link::sku).orElse(listing.productKey()), listing.categoryId(),
                    listing.eventTime());
            Long template = link.map(EbayListings.Link::productTemplateId).orElse(null);
            if (template != null) {
                catalog.postNote("product.template", template, "eBay listing " + listing.itemId() + " ended.");
            }
        });
    }

    private EbayListing read(InboxEvent event) {
        try {
            return json.readValue(event.payload(), EbayListing.class);
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable listing event " + event.key() + ": " + e.getMessage(), e);
        }
    }
}

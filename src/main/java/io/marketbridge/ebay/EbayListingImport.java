package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.trading.TradingResponse;
import io.marketbridge.model.EbayListing;
import io.marketbridge.odoo.OdooCatalog;
import io.marketbridge.odoo.OdooCatalog.Product;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * eBay listing → Odoo product (see mapping.md): upsert by SKU, category path under the configured
 * root, on-hand quantity on first import only, the link kept in Odoo and in our store. Safe to
 * run twice for one event: it looks up before it creates, and skips events older than the last one
 * applied to the listing.
 */
@Singleton
@Named("ebayListingImport")
public class EbayListingImport {

    private static final Logger LOG = Logger.getLogger(EbayListingImport.class);
    private static final int MAX_DESCRIPTION = 4000;

    private final OdooCatalog catalog;
    private final EbayListings listings;
    private final EbayVariationImport variations;
    private final EbayTrading trading;
    private final PlatformNotificationParser parser;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final List<String> categoryRoot;
    private final String companyCurrency;
    /** Events of one listing are applied one at a time; striped so memory stays bounded. */
    private final Object[] locks = new Object[64];

    EbayListingImport(OdooCatalog catalog, EbayListings listings, EbayVariationImport variations, EbayTrading trading,
            PlatformNotificationParser parser, ObjectMapper json, MeterRegistry metrics, MarketbridgeConfig config) {
        this.catalog = catalog;
        this.listings = listings;
        this.variations = variations;
        this.trading = trading;
        this.parser = parser;
        this.json = json;
        this.metrics = metrics;
        this.categoryRoot = rootPath(config.ebay().categories().root());
        this.companyCurrency = config.odoo().currency();
        Arrays.setAll(locks, i -> new Object());
    }

    /** ItemListed, ItemRevised. */
    public void upsert(InboxEvent event) throws SQLException {
        EbayListing listing = read(event);
        if (listing.hasVariations() && listing.variations().isEmpty()) {
            listing = withVariations(listing);
        }
        synchronized (lockFor(listing.itemId())) {
            Optional<EbayListings.Link> link = listings.find(listing.itemId());
            if (isStale(listing, link)) {
                return;
            }
            if (listing.hasVariations()) {
                variations.upsert(listing, link, productValues(listing));
                return;
            }
            String sku = listing.productKey();
            Map<String, Object> values = productValues(listing);
            Product product = catalog.productsBySku(List.of(sku)).get(sku);
            boolean created = product == null;
            if (created) {
                values.put("default_code", sku);
                product = withoutRejectedBarcode(listing, values, () -> catalog.createProduct(values));
            } else {
                Map<String, Object> changes = changes(product, values);
                if (!changes.isEmpty()) {
                    long template = product.templateId();
                    withoutRejectedBarcode(listing, changes, () -> {
                        catalog.updateTemplate(template, changes);
                        return null;
                    });
                }
            }
            if (link.map(l -> l.productId() == null).orElse(true)) {
                firstImport(listing, product, created);
            }
            listings.saveImported(listing.itemId(), sku, listing.categoryId(), product.templateId(), product.id(), listing.eventTime());
            listings.saveSkus(listing.itemId(), listing.currency(), Map.of(sku, false));
            metrics.counter("marketbridge.ebay.listings.imported", "action", created ? "created" : "updated").increment();
            LOG.infof("eBay listing %s (%s) -> Odoo product %s, SKU %s: %s", listing.itemId(), listing.eventName(),
                    product.templateId(), sku, created ? "created" : "updated");
        }
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
        synchronized (lockFor(listing.itemId())) {
            Optional<EbayListings.Link> link = listings.find(listing.itemId());
            if (isStale(listing, link)) {
                return;
            }
            listings.saveEnded(listing.itemId(), link.map(EbayListings.Link::sku).orElse(listing.productKey()), listing.categoryId(),
                    listing.eventTime());
            Long template = link.map(EbayListings.Link::productTemplateId).orElse(null);
            if (template != null) {
                catalog.postNote("product.template", template, "eBay listing " + listing.itemId() + " ended.");
            }
        }
    }

    /**
     * Odoo rejects a barcode another product already has. That is an error for the barcode only
     * (mapping.md): the product is written without it, and the conflict is logged and counted.
     */
    private <T> T withoutRejectedBarcode(EbayListing listing, Map<String, Object> values, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (PermanentFailure e) {
            if (!values.containsKey("barcode") || !e.getMessage().contains("ValidationError") || !e.getMessage().toLowerCase().contains("barcode")) {
                throw e;
            }
            LOG.warnf("Listing %s: Odoo rejected barcode %s (%s); imported without it", listing.itemId(), values.get("barcode"), e.getMessage());
            metrics.counter("marketbridge.ebay.listings.barcode_rejected").increment();
            values.remove("barcode");
            return write.get();
        }
    }

    private void firstImport(EbayListing listing, Product product, boolean created) {
        catalog.ensureExternalId(OdooCatalog.externalIdName("ebay_item_", listing.itemId()), "product.template",
                product.templateId(), created);
        // Odoo owns stock once it has some: eBay's quantity only seeds a product Odoo holds none of
        boolean odooHasStock = product.qtyAvailable() != null && product.qtyAvailable().signum() != 0;
        if (!odooHasStock && (created || listing.available() > 0)) {
            catalog.setOnHand(product.id(), BigDecimal.valueOf(listing.available()));
        }
        catalog.postNote("product.template", product.templateId(), "Imported from eBay listing " + listing.itemId() + ".");
    }

    private boolean isStale(EbayListing listing, Optional<EbayListings.Link> link) {
        if (link.isPresent() && listing.eventTime().isBefore(link.get().lastEventAt())) {
            LOG.infof("Skipping %s of listing %s from %s: a newer event (%s) was already applied", listing.eventName(),
                    listing.itemId(), listing.eventTime(), link.get().lastEventAt());
            metrics.counter("marketbridge.ebay.listings.stale").increment();
            return true;
        }
        return false;
    }

    private Map<String, Object> productValues(EbayListing listing) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", listing.title() == null || listing.title().isBlank() ? "eBay item " + listing.itemId() : listing.title());
        if (listing.price() != null) {
            values.put("list_price", listing.price());
            if (listing.currency() != null && !listing.currency().equalsIgnoreCase(companyCurrency)) {
                LOG.warnf("Listing %s is priced in %s, not the company currency %s: imported as is, not converted",
                        listing.itemId(), listing.currency(), companyCurrency);
                metrics.counter("marketbridge.ebay.listings.foreign_currency", "currency", listing.currency()).increment();
            }
        }
        String description = plainText(listing.description());
        if (description != null) {
            values.put("description_sale", description);
        }
        values.put("categ_id", catalog.category(categoryPath(listing.categoryPath())));
        if (listing.barcode() != null) {
            values.put("barcode", listing.barcode());
        }
        values.put("sale_ok", true);
        return values;
    }

    /** {@code "All / eBay"} → {@code [All, eBay]}: the configured root shared with the category tree import. */
    static List<String> rootPath(String configured) {
        return Arrays.stream(configured.split("/")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<String> categoryPath(String ebayPath) {
        List<String> path = new ArrayList<>(categoryRoot);
        if (ebayPath != null) {
            Arrays.stream(ebayPath.split(":")).map(String::trim).filter(s -> !s.isEmpty()).forEach(path::add);
        }
        return path;
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
        var matcher = java.util.regex.Pattern.compile("&#(x?)([0-9a-fA-F]+);").matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            int codePoint;
            try {
                codePoint = Integer.parseInt(matcher.group(2), matcher.group(1).isEmpty() ? 10 : 16);
            } catch (NumberFormatException e) {
                codePoint = '?';
            }
            String replacement = Character.isValidCodePoint(codePoint) ? new String(Character.toChars(codePoint)) : "?";
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private EbayListing read(InboxEvent event) {
        try {
            return json.readValue(event.payload(), EbayListing.class);
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable listing event " + event.key() + ": " + e.getMessage(), e);
        }
    }

    private Object lockFor(String itemId) {
        return locks[Math.floorMod(itemId.hashCode(), locks.length)];
    }
}

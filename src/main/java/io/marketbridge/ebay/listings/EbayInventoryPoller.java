package io.marketbridge.ebay.listings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.admin.StatusSection;
import io.marketbridge.channels.CatalogSource;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayInventoryItems;
import io.marketbridge.ebay.api.EbayQuotas;
import io.marketbridge.ebay.notifications.EbayPlatformNotifications;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The safety net under listing notifications (every 30 minutes): reads the seller's whole eBay
 * inventory a page at a time, looks each page's SKUs up in Odoo in one call (which also reads their
 * on-hand quantities), and puts every published listing missing in Odoo into the inbox, one event
 * per listing, for the product upsert. Quantities that differ between eBay and Odoo are counted in
 * {@code marketbridge.ebay.inventory.quantity.differences} and the first 100 listed in the admin status.
 * The backfill ({@link EbayListingsBackfill}) reads through the same {@link #page(int)}.
 * <p>
 * Listings made in Seller Hub or with the Trading API have no Inventory API offer, so getInventoryItems never
 * shows them: after the inventory, the seller's active listings are read too (Trading {@code GetMyeBaySelling},
 * {@link #activePage(int)}), every SKU they sell is recorded for the price and quantity push, and those missing in
 * Odoo are queued as {@code ebay.ActiveListing} (a multi-variation one is imported whole, through GetItem).
 */
@Singleton
@Named("ebayInventoryPoller")
public class EbayInventoryPoller implements StatusSection {

    private static final Logger LOG = Logger.getLogger(EbayInventoryPoller.class);
    static final String FLOW = "ebay-inventory";
    /** Routed to the listing upsert like ItemListed (pipeline.yaml). */
    static final String EVENT_TYPE = "ebay.InventoryListing";
    /** A listing found in the seller's active list (GetMyeBaySelling), missing in Odoo: routed to the same upsert. */
    static final String ACTIVE_EVENT_TYPE = "ebay.ActiveListing";
    static final int DIFFERENCES_SHOWN = 100;

    /** eBay's available quantity and Odoo's on-hand quantity of one SKU, when they differ. */
    @RegisterForReflection
    public record QuantityDifference(String sku, int ebay, BigDecimal odoo) {
    }

    /**
     * One page of the seller's inventory compared with Odoo.
     *
     * @param queued    listings missing in Odoo that this page put in the inbox (new events)
     * @param missing   published listings missing in Odoo (queued now or by an earlier read)
     * @param unlisted  inventory items missing in Odoo without a published offer: nothing to import
     */
    /**
     * One page read. {@code next} is eBay's link to the next page (as a path under the API base), null on the
     * last page: eBay's {@code offset} is a page number, so pages are followed by link, never computed.
     */
    public record Page(int size, int total, String next, int alreadyInOdoo, int missing, int queued, int unlisted,
            List<QuantityDifference> differences) {
        public boolean last() {
            return next == null;
        }
    }

    /**
     * One page of the seller's active listings compared with Odoo.
     *
     * @param listings listings on the page
     * @param missing  listings with a SKU missing in Odoo (queued now or by an earlier read)
     * @param queued   of those, new inbox events
     */
    public record ActivePage(int pageNumber, int totalPages, int listings, int missing, int queued) {
        public boolean last() {
            return pageNumber >= totalPages;
        }
    }

    /**
     * What the last poll did; {@code error} when it stopped early. {@code activePages}, {@code activeListings},
     * {@code activeMissing} and {@code activeQueued}: the same for the seller's active listings (GetMyeBaySelling).
     */
    @RegisterForReflection
    public record PollReport(Instant startedAt, Instant finishedAt, int pages, int items, int alreadyInOdoo, int missing,
            int queued, int unlisted, Integer quantityDifferences, int activePages, int activeListings, int activeMissing, int activeQueued,
            String error) {
    }

    /** The last complete poll's quantity differences: all counted, the first ones listed. */
    private record Differences(int count, List<QuantityDifference> listed, Instant at) {
    }

    private final EbayApi ebay;
    private final EbayTradingListings trading;
    private final EbayTokens tokens;
    private final EbayQuotas quotas;
    private final PollHealth pollHealth;
    private final CatalogSource catalog;
    private final Inbox inbox;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final EbayConfig config;
    private volatile Differences differences = new Differences(0, List.of(), null);
    private volatile PollReport lastPoll;

    EbayInventoryPoller(EbayApi ebay, EbayTradingListings trading, EbayTokens tokens, EbayQuotas quotas, PollHealth pollHealth,
            CatalogSource catalog, Inbox inbox, ObjectMapper json, MeterRegistry metrics, EbayConfig config) {
        this.ebay = ebay;
        this.trading = trading;
        this.tokens = tokens;
        this.quotas = quotas;
        this.pollHealth = pollHealth;
        this.catalog = catalog;
        this.inbox = inbox;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
        Gauge.builder("marketbridge.ebay.inventory.quantity.differences", this, p -> p.differences.count())
                .description("SKUs whose eBay quantity differs from Odoo's on-hand quantity, as of the last complete inventory poll")
                .register(metrics);
    }

    /** eBay enabled, a seller connected and not paused: only then are the seller's APIs called. */
    boolean sellerConnected() {
        return tokens.sellerCallsAllowed();
    }

    public void poll() throws Exception {
        if (!sellerConnected() || !quotas.allowsPoll(FLOW, EbayInventoryItems.PATH)) {
            return; // no connected seller, eBay paused, or its call budget says wait
        }
        pollHealth.run(FLOW, this::readInventory);
    }

    private PollHealth.Result readInventory() throws SQLException {
        Instant started = Instant.now();
        int pages = 0, items = 0, inOdoo = 0, missing = 0, queued = 0, unlisted = 0, differenceCount = 0;
        int activePages = 0, activeListings = 0, activeMissing = 0, activeQueued = 0;
        boolean readingActive = false;
        List<QuantityDifference> listed = new ArrayList<>();
        try {
            for (String link = null; ; ) {
                Page page = page(link);
                pages++;
                items += page.size();
                inOdoo += page.alreadyInOdoo();
                missing += page.missing();
                queued += page.queued();
                unlisted += page.unlisted();
                differenceCount += page.differences().size();
                page.differences().stream().limit(Math.max(0, DIFFERENCES_SHOWN - listed.size())).forEach(listed::add);
                if (page.last()) {
                    break;
                }
                link = page.next();
            }
            readingActive = true;
            for (int number = 1; ; number++) {
                ActivePage page = activePage(number);
                activePages++;
                activeListings += page.listings();
                activeMissing += page.missing();
                activeQueued += page.queued();
                if (page.last()) {
                    break;
                }
            }
        } catch (RuntimeException | SQLException e) {
            String where = readingActive ? "active listings page " + (activePages + 1) : "page " + (pages + 1);
            lastPoll = new PollReport(started, Instant.now(), pages, items, inOdoo, missing, queued, unlisted, null, activePages, activeListings,
                    activeMissing, activeQueued, where + ": " + e.getMessage());
            throw e;
        }
        Instant finished = Instant.now();
        differences = new Differences(differenceCount, List.copyOf(listed), finished);
        lastPoll = new PollReport(started, finished, pages, items, inOdoo, missing, queued, unlisted, differenceCount, activePages, activeListings,
                activeMissing, activeQueued, null);
        LOG.infof("eBay inventory poll: %d page(s), %d item(s), %d missing in Odoo (%d newly queued), %d unlisted, %d quantity difference(s);"
                        + " active listings: %d page(s), %d listing(s), %d missing in Odoo (%d newly queued)",
                pages, items, missing, queued, unlisted, differenceCount, activePages, activeListings, activeMissing, activeQueued);
        return new PollHealth.Result(queued + activeQueued, missing - queued + activeMissing - activeQueued, pages + activePages);
    }

    /**
     * Reads one page of the seller's inventory items, the first when {@code link} is null, else the page
     * eBay linked as {@code next}: one getInventoryItems call,
     * one Odoo lookup of the page's SKUs, one getOffers call per SKU missing in Odoo, and the missing
     * published listings stored in the inbox in one transaction.
     */
    public Page page(String link) throws SQLException {
        JsonNode answer = ebay.get(link == null ? EbayInventoryItems.firstPage(config.inventory().pageSize()) : link);
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : answer.path("inventoryItems")) {
            if (!item.path("sku").asText("").isBlank()) {
                items.add(item);
            }
        }
        Map<String, BigDecimal> inOdoo = catalog.onHandBySku(items.stream().map(i -> i.path("sku").asText()).toList());
        Instant seenAt = Instant.now();
        List<InboundEvent> events = new ArrayList<>();
        List<QuantityDifference> differences = new ArrayList<>();
        int unlisted = 0;
        for (JsonNode item : items) {
            String sku = item.path("sku").asText();
            BigDecimal onHand = inOdoo.get(sku);
            if (onHand != null) {
                int onEbay = item.path("availability").path("shipToLocationAvailability").path("quantity").asInt(0);
                if (onHand.compareTo(BigDecimal.valueOf(onEbay)) != 0) {
                    differences.add(new QuantityDifference(sku, onEbay, onHand));
                }
                continue;
            }
            Optional<JsonNode> offer = publishedOffer(sku);
            if (offer.isEmpty()) {
                unlisted++;
                continue;
            }
            EbayListing listing = listing(item, offer.get(), seenAt);
            events.add(new InboundEvent("ebay", "ebay:inventory:" + listing.itemId() + ":" + sku, EVENT_TYPE, write(listing)));
        }
        int queued = inbox.offerAll(events);
        return new Page(answer.path("inventoryItems").size(), answer.path("total").asInt(0), EbayInventoryItems.nextPage(answer, link),
                inOdoo.size(), events.size(), queued, unlisted, differences);
    }

    /**
     * Reads one page of the seller's active listings ({@code pageNumber} from 1): one GetMyeBaySelling call (which
     * records every SKU each listing sells), one Odoo lookup of the page's SKUs, and the listings with a SKU
     * missing in Odoo stored in the inbox in one transaction.
     */
    public ActivePage activePage(int pageNumber) throws SQLException {
        EbayTradingListings.ActivePage page = trading.activePage(pageNumber, config.inventory().pageSize());
        List<String> skus = new ArrayList<>();
        page.listings().forEach(listing -> skus.addAll(listing.skus().keySet()));
        Map<String, BigDecimal> inOdoo = skus.isEmpty() ? Map.of() : catalog.onHandBySku(skus);
        Instant seenAt = Instant.now();
        List<InboundEvent> events = new ArrayList<>();
        for (EbayTradingListings.ActiveListing active : page.listings()) {
            if (active.itemId() == null || inOdoo.keySet().containsAll(active.skus().keySet())) {
                continue;
            }
            EbayListing listing = new EbayListing("ActiveListing", seenAt, active.itemId(), active.sku(), active.title(), null, active.price(),
                    active.currency(), active.available(), 0, null, null, "Active", null, null, !active.variations().isEmpty(), List.of());
            // the inventory read's event id: a listing both reads find missing is queued once
            events.add(new InboundEvent("ebay", "ebay:inventory:" + active.itemId() + ":" + listing.productKey(), ACTIVE_EVENT_TYPE, write(listing)));
        }
        int queued = inbox.offerAll(events);
        return new ActivePage(pageNumber, page.totalPages(), page.listings().size(), events.size(), queued);
    }

    /** The SKU's published offer with a live listing, if any (eBay answers 404 for a SKU without offers). */
    private Optional<JsonNode> publishedOffer(String sku) {
        Optional<JsonNode> answer = ebay.find("/sell/inventory/v1/offer?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8));
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode offer : answer.get().path("offers")) {
            if ("PUBLISHED".equals(offer.path("status").asText()) && !offer.path("listing").path("listingId").asText("").isBlank()) {
                return Optional.of(offer);
            }
        }
        return Optional.empty();
    }

    /**
     * Inventory item + its offer → the listing the product upsert takes (mapping.md): the listing id is
     * the item id, the offer's available quantity is what is left to sell (nothing to subtract), and
     * the Inventory API names no category path (only its id), so the product lands under the
     * category root until a listing notification or the category sync names it.
     */
    static EbayListing listing(JsonNode item, JsonNode offer, Instant seenAt) {
        JsonNode product = item.path("product");
        JsonNode price = offer.path("pricingSummary").path("price");
        int available = offer.hasNonNull("availableQuantity") ? offer.path("availableQuantity").asInt()
                : item.path("availability").path("shipToLocationAvailability").path("quantity").asInt(0);
        String description = text(product, "description");
        List<String> codes = new ArrayList<>();
        product.path("ean").forEach(c -> codes.add(c.asText()));
        product.path("upc").forEach(c -> codes.add(c.asText()));
        JsonNode listing = offer.path("listing");
        return new EbayListing("InventoryListing", seenAt, listing.path("listingId").asText(), item.path("sku").asText(),
                text(product, "title"), description != null ? description : text(offer, "listingDescription"),
                amount(price.path("value").asText(null), item.path("sku").asText()), text(price, "currency"), available, 0,
                text(offer, "categoryId"), null, text(listing, "listingStatus"),
                EbayPlatformNotifications.firstValidBarcode(codes.toArray(String[]::new)),
                product.path("imageUrls").path(0).asText(null), !item.path("groupIds").isEmpty(), List.of());
    }

    /** eBay sends amounts as strings; one that is not a number leaves the Odoo price as it is. */
    private static BigDecimal amount(String value, String sku) {
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            LOG.warnf("eBay offer of SKU %s has a price that is not a number ('%s'): imported without a price", sku, value);
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private String write(EbayListing listing) {
        try {
            return json.writeValueAsString(listing);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise listing " + listing.itemId(), e);
        }
    }

    @Override
    public String section() {
        return "ebayInventory";
    }

    @Override
    public int order() {
        return 11;
    }

    /** For the admin status: the last poll and its quantity differences. */
    @Override
    public Map<String, Object> status() {
        Differences current = differences;
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("lastPoll", lastPoll);
        Map<String, Object> quantities = new LinkedHashMap<>();
        quantities.put("count", current.count());
        quantities.put("asOf", current.at());
        quantities.put("listed", current.listed());
        status.put("quantityDifferences", quantities);
        return status;
    }
}

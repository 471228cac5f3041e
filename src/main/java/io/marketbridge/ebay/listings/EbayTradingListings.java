package io.marketbridge.ebay.listings;

import io.marketbridge.channels.PushResult;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayTrading;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The seller's listings as the Trading API knows them, for listings made in Seller Hub or with the Trading API,
 * which have no Inventory API offer: which listing sells each SKU ({@code ebay_listing_sku}), the active
 * listings a page at a time ({@code GetMyeBaySelling} ActiveList), and price and quantity sent with
 * {@code ReviseInventoryStatus}, at most four InventoryStatus a call (by ItemID, plus the SKU for a variation).
 * eBay answers each call with an InventoryStatus per revised item and Errors whose ErrorParameters name the item
 * concerned: every item gets its own outcome, and one item's refusal never fails the others.
 */
@Singleton
public class EbayTradingListings {

    /** eBay's limit of InventoryStatus per ReviseInventoryStatus. */
    public static final int MAX_REVISE = 4;
    /** eBay's limit of entries per GetMyeBaySelling page. */
    public static final int MAX_ENTRIES_PER_PAGE = 200;
    static final String REVISE = "ReviseInventoryStatus";
    static final String ACTIVE_LIST = "GetMyeBaySelling";
    /** "Item not found" (or not the seller's): the SKU's listing is forgotten. */
    private static final String ITEM_NOT_FOUND = "17";
    private static final int LOAD_CHUNK = 500;
    private static final Logger LOG = Logger.getLogger(EbayTradingListings.class);

    /** The active listing that sells a SKU: the listing's own SKU, or one of its variations'. */
    public record Listed(String sku, String itemId, boolean variation, String currency) {
    }

    /** Odoo's price and quantity for one SKU's listing. */
    public record Revision(String sku, Listed listing, BigDecimal price, int quantity) {
    }

    /** One variation of an active listing: its SKU, price and what is left to sell. */
    public record ActiveVariation(String sku, BigDecimal price, int available) {
    }

    /** An active listing as GetMyeBaySelling's ActiveList describes it. */
    public record ActiveListing(String itemId, String sku, String title, BigDecimal price, String currency, int available,
            List<ActiveVariation> variations) {

        /** The Odoo product key, as for a listing notification: the seller's SKU, or {@code ebay-<ItemID>}. */
        public String productKey() {
            return sku == null || sku.isBlank() ? "ebay-" + itemId : sku;
        }

        /** The SKUs it sells: its variations' (those with one), or its own product key. */
        public Map<String, Boolean> skus() {
            Map<String, Boolean> skus = new LinkedHashMap<>();
            if (variations.isEmpty()) {
                skus.put(productKey(), false);
            } else {
                variations.stream().filter(v -> v.sku() != null && !v.sku().isBlank()).forEach(v -> skus.put(v.sku(), true));
            }
            return skus;
        }
    }

    /** One page of the active list; {@code pageNumber} counts from 1. */
    public record ActivePage(int pageNumber, int totalPages, int totalEntries, List<ActiveListing> listings) {
        public boolean last() {
            return pageNumber >= totalPages;
        }
    }

    private final EbayTrading trading;
    private final Database db;

    EbayTradingListings(EbayTrading trading, Database db) {
        this.trading = trading;
        this.db = db;
    }

    // --- which listing sells a SKU ---------------------------------------------------------------

    /** The active listings known to sell these SKUs (one read of {@code ebay_listing_sku} per 500). */
    public Map<String, Listed> known(Collection<String> skus) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(skus));
        Map<String, Listed> known = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += LOAD_CHUNK) {
            List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + LOAD_CHUNK));
            String sql = "SELECT sku, item_id, variation, currency FROM ebay_listing_sku WHERE sku IN (" + Database.placeholders(chunk.size()) + ")";
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        known.put(rs.getString(1), new Listed(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)));
                    }
                }
            } catch (SQLException e) {
                throw new TransientFailure(EbayTokens.PEER, "cannot read the eBay listings of SKUs: " + e.getMessage(), e);
            }
        }
        return known;
    }

    /** Records that listing {@code itemId} sells these SKUs (SKU → whether it is a variation's). */
    public void remember(String itemId, String currency, Map<String, Boolean> skus) throws SQLException {
        if (skus.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // in SKU order, updated in place where known: two writers of the same SKUs wait for each other, never collide
        db.inTransaction(c -> Database.updateOrInsert(c,
                "UPDATE ebay_listing_sku SET item_id = ?, variation = ?, currency = COALESCE(?, currency), seen_at = ? WHERE sku = ?",
                "INSERT INTO ebay_listing_sku (item_id, variation, currency, seen_at, sku) VALUES (?, ?, ?, ?, ?)",
                new TreeMap<>(skus).entrySet(), (ps, entry) -> {
                    ps.setString(1, itemId);
                    ps.setBoolean(2, entry.getValue());
                    ps.setString(3, currency);
                    ps.setObject(4, now);
                    ps.setString(5, entry.getKey());
                }));
    }

    /** The listing ended or eBay no longer knows it: its SKUs are no longer sold there. */
    public void forgetItem(String itemId) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "DELETE FROM ebay_listing_sku WHERE item_id = ?", itemId);
        }
    }

    // --- the active listings ----------------------------------------------------------------------

    /**
     * One page of the seller's active listings (GetMyeBaySelling ActiveList, variations included), every SKU
     * seen recorded as sold by its listing.
     */
    public ActivePage activePage(int pageNumber, int entriesPerPage) throws SQLException {
        int entries = Math.max(1, Math.min(MAX_ENTRIES_PER_PAGE, entriesPerPage));
        EbayTrading.Answer answer = trading.call(ACTIVE_LIST, "<ActiveList><Include>true</Include><Pagination><EntriesPerPage>" + entries
                + "</EntriesPerPage><PageNumber>" + pageNumber + "</PageNumber></Pagination></ActiveList>");
        NodeList lists = answer.document().getElementsByTagNameNS(EbayTrading.NAMESPACE, "ActiveList");
        if (lists.getLength() == 0) {
            return new ActivePage(pageNumber, 0, 0, List.of()); // eBay leaves ActiveList out when nothing is active
        }
        Element activeList = (Element) lists.item(0);
        List<ActiveListing> listings = new ArrayList<>();
        Element itemArray = direct(activeList, "ItemArray");
        if (itemArray != null) {
            for (Element item : children(itemArray, "Item")) {
                listings.add(activeListing(item));
            }
        }
        Element pagination = direct(activeList, "PaginationResult");
        int totalPages = pagination == null ? pageNumber : integer(text(pagination, "TotalNumberOfPages"), pageNumber);
        int totalEntries = pagination == null ? listings.size() : integer(text(pagination, "TotalNumberOfEntries"), listings.size());
        for (ActiveListing listing : listings) {
            remember(listing.itemId(), listing.currency(), listing.skus());
        }
        return new ActivePage(pageNumber, totalPages, totalEntries, listings);
    }

    private static ActiveListing activeListing(Element item) {
        Element sellingStatus = direct(item, "SellingStatus");
        Element currentPrice = sellingStatus == null ? null : direct(sellingStatus, "CurrentPrice");
        Element startPrice = direct(item, "StartPrice");
        Element priceElement = currentPrice != null ? currentPrice : startPrice;
        String currency = priceElement == null || priceElement.getAttribute("currencyID").isBlank() ? null : priceElement.getAttribute("currencyID");
        int sold = sellingStatus == null ? 0 : integer(text(sellingStatus, "QuantitySold"), 0);
        int available = integer(text(item, "QuantityAvailable"), Math.max(0, integer(text(item, "Quantity"), 0) - sold));
        List<ActiveVariation> variations = new ArrayList<>();
        Element variationsElement = direct(item, "Variations");
        if (variationsElement != null) {
            for (Element variation : children(variationsElement, "Variation")) {
                Element status = direct(variation, "SellingStatus");
                int variationSold = status == null ? 0 : integer(text(status, "QuantitySold"), 0);
                variations.add(new ActiveVariation(text(variation, "SKU"), decimal(text(variation, "StartPrice")),
                        Math.max(0, integer(text(variation, "Quantity"), 0) - variationSold)));
            }
        }
        return new ActiveListing(text(item, "ItemID"), text(item, "SKU"), text(item, "Title"),
                decimal(priceElement == null ? null : priceElement.getTextContent()), currency, available, List.copyOf(variations));
    }

    // --- price and quantity -------------------------------------------------------------------------

    /** Sends the revisions, four per ReviseInventoryStatus; one outcome per revision, in their order. */
    public List<PushResult> revise(List<Revision> revisions) {
        Map<Revision, PushResult> results = new LinkedHashMap<>();
        for (int from = 0; from < revisions.size(); from += MAX_REVISE) {
            reviseChunk(revisions.subList(from, Math.min(revisions.size(), from + MAX_REVISE)), results);
        }
        return revisions.stream().map(results::get).toList();
    }

    private void reviseChunk(List<Revision> chunk, Map<Revision, PushResult> results) {
        StringBuilder xml = new StringBuilder();
        for (Revision revision : chunk) {
            xml.append("<InventoryStatus><ItemID>").append(EbayTrading.escape(revision.listing().itemId())).append("</ItemID>");
            if (revision.listing().variation()) {
                xml.append("<SKU>").append(EbayTrading.escape(revision.sku())).append("</SKU>");
            }
            xml.append("<StartPrice>").append(revision.price().setScale(2, RoundingMode.HALF_UP).toPlainString()).append("</StartPrice><Quantity>")
                    .append(Math.max(0, revision.quantity())).append("</Quantity></InventoryStatus>");
        }
        EbayTrading.Reply reply = trading.exchange(REVISE, xml.toString());

        Set<Revision> confirmed = new LinkedHashSet<>();
        NodeList statuses = reply.document().getElementsByTagNameNS(EbayTrading.NAMESPACE, "InventoryStatus");
        for (int i = 0; i < statuses.getLength(); i++) {
            Element status = (Element) statuses.item(i);
            String itemId = text(status, "ItemID");
            String sku = text(status, "SKU");
            for (Revision revision : chunk) {
                if (revision.listing().itemId().equals(itemId) && (!revision.listing().variation() || revision.sku().equals(sku))) {
                    confirmed.add(revision);
                }
            }
        }
        Map<Revision, EbayTrading.Error> failed = new LinkedHashMap<>();
        List<EbayTrading.Error> unattributed = new ArrayList<>();
        for (EbayTrading.Error error : reply.errors()) {
            if (error.warning()) {
                continue; // "redundant revision", "variations with quantity 0 will be removed": done as asked
            }
            List<Revision> concerned = concerned(chunk, error);
            if (concerned.isEmpty()) {
                unattributed.add(error);
            }
            concerned.forEach(revision -> failed.putIfAbsent(revision, error));
        }
        List<Revision> unsure = new ArrayList<>();
        for (Revision revision : chunk) {
            EbayTrading.Error error = failed.get(revision);
            if (error != null) {
                results.put(revision, outcome(revision, error));
            } else if (confirmed.contains(revision) || (!reply.failed() && unattributed.isEmpty())) {
                results.put(revision, PushResult.accepted(revision.sku()));
            } else {
                unsure.add(revision);
            }
        }
        if (unsure.isEmpty()) {
            return;
        }
        if (chunk.size() > 1) {
            // eBay's errors did not say which item they concern: each one alone tells
            LOG.debugf("%s of %d items answered errors naming no item (%s): the %d unconfirmed ones go alone", REVISE, chunk.size(),
                    unattributed, unsure.size());
            unsure.forEach(revision -> reviseChunk(List.of(revision), results));
            return;
        }
        Revision revision = unsure.get(0);
        results.put(revision, unattributed.isEmpty()
                ? PushResult.retry(revision.sku(), REVISE + " answered Ack " + reply.ack() + " without confirming item " + revision.listing().itemId())
                : outcome(revision, unattributed.get(0)));
    }

    /** The revisions an error names in its parameters: by SKU first, else every revision of the item it names. */
    private static List<Revision> concerned(List<Revision> chunk, EbayTrading.Error error) {
        List<Revision> bySku = chunk.stream().filter(r -> error.parameters().contains(r.sku())).toList();
        if (!bySku.isEmpty()) {
            return bySku;
        }
        return chunk.stream().filter(r -> error.parameters().contains(r.listing().itemId())).toList();
    }

    /** eBay's system errors are worth sending again; its refusals are final (an item it does not know is forgotten). */
    private PushResult outcome(Revision revision, EbayTrading.Error error) {
        String reason = "eBay " + REVISE + " of item " + revision.listing().itemId() + ": " + error.describe();
        if ("SystemError".equals(error.classification())) {
            return PushResult.retry(revision.sku(), reason);
        }
        if (ITEM_NOT_FOUND.equals(error.code())) {
            try {
                forgetItem(revision.listing().itemId());
            } catch (SQLException e) {
                LOG.warnf("cannot forget eBay listing %s: %s", revision.listing().itemId(), e.getMessage());
            }
        }
        return PushResult.rejected(revision.sku(), reason);
    }

    // --- XML helpers ---------------------------------------------------------------------------------

    /** The first direct child element with this local name, or null. */
    private static Element direct(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    /** Text of a direct child, trimmed; null when absent or empty. */
    private static String text(Element parent, String localName) {
        Element child = direct(parent, localName);
        String text = child == null ? "" : child.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    private static int integer(String text, int otherwise) {
        try {
            return text == null ? otherwise : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return text == null || text.isBlank() ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** For callers that want the listing of one SKU. */
    public Optional<Listed> find(String sku) {
        return Optional.ofNullable(known(List.of(sku)).get(sku));
    }
}

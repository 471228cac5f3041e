package io.marketbridge.ebay.listings;

import io.marketbridge.model.ProductLinks;
import io.marketbridge.model.ProductUpsert;
import io.marketbridge.pipeline.Database;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Our own record of eBay listing ↔ Odoo product, and of the newest event applied to each listing. */
@Singleton
public class EbayListings implements ProductLinks {

    private static final Logger LOG = Logger.getLogger(EbayListings.class);

    private final Database db;
    private final EbayTradingListings skus;
    private final MeterRegistry metrics;
    /** Events of one listing are applied one at a time; striped so memory stays bounded. */
    private final Object[] locks = new Object[64];

    EbayListings(Database db, EbayTradingListings skus, MeterRegistry metrics) {
        this.db = db;
        this.skus = skus;
        this.metrics = metrics;
        Arrays.setAll(locks, i -> new Object());
    }

    /** Of these SKUs, those an active listing imported from eBay sells (one read per 500). */
    public Set<String> activeSkus(List<String> skus) throws SQLException {
        Set<String> active = new HashSet<>();
        try (Connection c = db.connection()) {
            for (int from = 0; from < skus.size(); from += 500) {
                List<String> chunk = skus.subList(from, Math.min(skus.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT sku FROM ebay_listing WHERE ended_at IS NULL AND sku IN ("
                        + Database.placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            active.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        return active;
    }

    /** A step of a listing's event that needs its link. */
    interface ListingWrite {
        void apply(Optional<Link> link) throws SQLException;
    }

    /**
     * Runs {@code write} under the listing's lock with its link, unless an event of the listing newer
     * than this one was already applied (then it is skipped, logged and counted).
     */
    void inOrder(String itemId, String eventName, Instant eventTime, ListingWrite write) throws SQLException {
        synchronized (locks[Math.floorMod(itemId.hashCode(), locks.length)]) {
            Optional<Link> link = find(itemId);
            if (link.isPresent() && eventTime.isBefore(link.get().lastEventAt())) {
                LOG.infof("Skipping %s of listing %s from %s: a newer event (%s) was already applied", eventName, itemId, eventTime,
                        link.get().lastEventAt());
                metrics.counter("marketbridge.ebay.listings.stale").increment();
                return;
            }
            write.apply(link);
        }
    }

    @Override
    public void inOrder(ProductUpsert product, LinkedWrite write) throws SQLException {
        inOrder(product.externalId(), product.eventName(), product.eventTime(),
                link -> write.apply(link.map(l -> new ProductLinks.Link(l.productTemplateId(), l.productId()))));
    }

    /** A single listing sells its SKU; a multi-variation one the SKUs eBay names for its variations. */
    @Override
    public void saveImported(ProductUpsert product, long templateId, long productId) throws SQLException {
        saveImported(product.externalId(), product.sku(), product.channelCategoryId(), templateId, productId, product.eventTime());
        Map<String, Boolean> soldSkus = new LinkedHashMap<>();
        if (product.hasVariants()) {
            product.variants().stream().filter(ProductUpsert.Variant::skuFromChannel).forEach(v -> soldSkus.put(v.sku(), true));
        } else {
            soldSkus.put(product.sku(), false);
        }
        saveSkus(product.externalId(), product.currency(), soldSkus);
    }

    public record Link(String itemId, String sku, Long productTemplateId, Long productId, String status, Instant lastEventAt) {
    }

    public Optional<Link> find(String itemId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sku, product_template_id, product_id, status, last_event_at FROM ebay_listing WHERE item_id = ?")) {
            ps.setString(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Link(itemId, rs.getString(1), rs.getObject(2, Long.class),
                        rs.getObject(3, Long.class), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()));
            }
        }
    }

    /** Records the listing's product, its eBay category and the event applied; keeps the first import time. */
    public void saveImported(String itemId, String sku, String categoryId, long templateId, long productId, Instant eventAt)
            throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        upsert("UPDATE ebay_listing SET sku = ?, category_id = COALESCE(?, category_id), product_template_id = ?, product_id = ?,"
                        + " status = 'ACTIVE', last_event_at = ?, imported_at = COALESCE(imported_at, ?), ended_at = NULL WHERE item_id = ?",
                new Object[] {sku, categoryId, templateId, productId, utc(eventAt), now, itemId},
                "INSERT INTO ebay_listing (sku, category_id, product_template_id, product_id, status, last_event_at, imported_at, item_id)"
                        + " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?)",
                new Object[] {sku, categoryId, templateId, productId, utc(eventAt), now, itemId});
    }

    /**
     * The SKUs the listing sells (SKU → whether it is a variation's), so Odoo's price and quantity reach a listing
     * without an Inventory API offer through Trading ReviseInventoryStatus.
     */
    public void saveSkus(String itemId, String currency, Map<String, Boolean> soldSkus) throws SQLException {
        skus.remember(itemId, currency, soldSkus);
    }

    /** The listing ended on eBay; the Odoo product stays, its SKUs are no longer sold there. */
    public void saveEnded(String itemId, String sku, String categoryId, Instant eventAt) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        upsert("UPDATE ebay_listing SET status = 'ENDED', category_id = COALESCE(?, category_id), last_event_at = ?, ended_at = ?"
                        + " WHERE item_id = ?",
                new Object[] {categoryId, utc(eventAt), now, itemId},
                "INSERT INTO ebay_listing (sku, category_id, status, last_event_at, ended_at, item_id) VALUES (?, ?, 'ENDED', ?, ?, ?)",
                new Object[] {sku, categoryId, utc(eventAt), now, itemId});
        skus.forgetItem(itemId);
    }

    /**
     * The eBay categories the seller's listings are in, ended ones included (their products keep
     * the category in Odoo). Listings imported before categories were recorded have none.
     */
    public Set<String> categoryIds() throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT category_id FROM ebay_listing WHERE category_id IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private void upsert(String update, Object[] updateArgs, String insert, Object[] insertArgs) throws SQLException {
        try (Connection c = db.connection()) {
            if (Database.execute(c, update, updateArgs) == 0) {
                try {
                    Database.execute(c, insert, insertArgs);
                } catch (SQLException e) {
                    if (!Database.isDuplicateKey(e)) {
                        throw e;
                    }
                    Database.execute(c, update, updateArgs); // another worker inserted it first
                }
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

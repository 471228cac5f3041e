package io.marketbridge.ebay;

import io.marketbridge.pipeline.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Our own record of eBay listing ↔ Odoo product, and of the newest event applied to each listing. */
@Singleton
public class EbayListings {

    private final Database db;

    EbayListings(Database db) {
        this.db = db;
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

    /** Records the listing's product and the event applied; keeps the first import time. */
    public void saveImported(String itemId, String sku, long templateId, long productId, Instant eventAt) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        upsert("UPDATE ebay_listing SET sku = ?, product_template_id = ?, product_id = ?, status = 'ACTIVE',"
                        + " last_event_at = ?, imported_at = COALESCE(imported_at, ?), ended_at = NULL WHERE item_id = ?",
                new Object[] {sku, templateId, productId, utc(eventAt), now, itemId},
                "INSERT INTO ebay_listing (sku, product_template_id, product_id, status, last_event_at, imported_at, item_id)"
                        + " VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?)",
                new Object[] {sku, templateId, productId, utc(eventAt), now, itemId});
    }

    /** The listing ended on eBay; the Odoo product stays. */
    public void saveEnded(String itemId, String sku, Instant eventAt) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        upsert("UPDATE ebay_listing SET status = 'ENDED', last_event_at = ?, ended_at = ? WHERE item_id = ?",
                new Object[] {utc(eventAt), now, itemId},
                "INSERT INTO ebay_listing (sku, status, last_event_at, ended_at, item_id) VALUES (?, 'ENDED', ?, ?, ?)",
                new Object[] {sku, utc(eventAt), now, itemId});
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

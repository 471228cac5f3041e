package io.marketbridge.ebay.fulfilment;

import io.marketbridge.pipeline.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Our record of every shipping fulfilment crossing between eBay and Odoo, one row each: reflected
 * from eBay into Odoo, or sent from a done Odoo delivery to eBay. It makes both directions
 * idempotent and tells a tracking number's origin, so it is never echoed back where it came from.
 */
@Singleton
public class EbayFulfilmentRecords {

    public enum Direction { FROM_EBAY, TO_EBAY }

    private final Database db;

    EbayFulfilmentRecords(Database db) {
        this.db = db;
    }

    public static String fromEbayKey(String orderId, String fulfillmentId) {
        return Direction.FROM_EBAY + ":" + orderId + ":" + fulfillmentId;
    }

    public static String toEbayKey(String orderId, long pickingId) {
        return Direction.TO_EBAY + ":" + orderId + ":" + pickingId;
    }

    public boolean contains(String key) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ebay_fulfilment WHERE fulfilment_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether this (cleaned) tracking number of the order already crossed in the given direction. */
    public boolean hasTracking(String orderId, Direction direction, String tracking) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM ebay_fulfilment WHERE order_id = ? AND direction = ? AND tracking_number = ?")) {
            ps.setString(1, orderId);
            ps.setString(2, direction.name());
            ps.setString(3, tracking);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a fulfilment once; a second record of the same key (a retry after a crash) is ignored. */
    public void record(String key, Direction direction, String orderId, String fulfillmentId, Long pickingId, String tracking,
            String outcome) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "INSERT INTO ebay_fulfilment (fulfilment_key, direction, order_id, fulfillment_id, picking_id,"
                    + " tracking_number, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key, direction.name(), orderId,
                    fulfillmentId, pickingId, tracking, outcome, OffsetDateTime.now(ZoneOffset.UTC));
        } catch (SQLException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
        }
    }
}

package io.marketbridge.cartona;

import io.marketbridge.pipeline.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The statuses Cartona has for each order (table {@code cartona_order_status}): those it took from this service and
 * those it reported. What is recorded is not sent again, and the account an order came through is known by it.
 */
@Singleton
public class CartonaOrderStatuses {

    private final Database db;

    CartonaOrderStatuses(Database db) {
        this.db = db;
    }

    public boolean sent(CartonaAccount account, String hashedId, String status) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM cartona_order_status WHERE hashed_id = ? AND account = ? AND status = ?")) {
            ps.setString(1, hashedId);
            ps.setString(2, account.name());
            ps.setString(3, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The statuses recorded for the order, and the account it came through (empty: an order this service never took in). */
    public record Known(Optional<String> account, Set<String> statuses) {
    }

    public Known of(String hashedId) throws SQLException {
        Set<String> statuses = new HashSet<>();
        String account = null;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT account, status FROM cartona_order_status WHERE hashed_id = ?")) {
            ps.setString(1, hashedId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    account = rs.getString(1);
                    statuses.add(rs.getString(2));
                }
            }
        }
        return new Known(Optional.ofNullable(account), statuses);
    }

    /** Records that Cartona has the status (it took it, or reported it); a second record of it (two replicas at once) is no error. */
    public void record(CartonaAccount account, String hashedId, String status) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "INSERT INTO cartona_order_status (account, hashed_id, status, sent_at) VALUES (?, ?, ?, ?)",
                    account.name(), hashedId, status, OffsetDateTime.now(ZoneOffset.UTC));
        } catch (SQLException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
        }
    }
}

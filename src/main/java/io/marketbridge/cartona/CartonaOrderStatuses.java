package io.marketbridge.cartona;

import io.marketbridge.pipeline.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The statuses Cartona took for each order (table {@code cartona_order_status}): what is recorded is not sent again. */
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

    /** Records that Cartona took the status; a second record of it (two replicas at once) is no error. */
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

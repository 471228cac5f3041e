package io.marketbridge.cartona;

import io.marketbridge.pipeline.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Cartona has as each order's lines (table {@code cartona_order_lines}): pieces per {@code internal_product_id},
 * as Cartona last sent them or as this service last told it.
 */
@Singleton
public class CartonaOrderLines {

    private final Database db;

    CartonaOrderLines(Database db) {
        this.db = db;
    }

    /** The order's lines as Cartona has them, empty when none were recorded (an order taken in before lines were kept). */
    public Optional<Map<String, Integer>> of(CartonaAccount account, String hashedId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT lines FROM cartona_order_lines WHERE hashed_id = ? AND account = ?")) {
            ps.setString(1, hashedId);
            ps.setString(2, account.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    public void record(CartonaAccount account, String hashedId, Map<String, Integer> lines) throws SQLException {
        String text = format(lines);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE cartona_order_lines SET lines = ?, updated_at = ? WHERE hashed_id = ? AND account = ?",
                    text, now, hashedId, account.name()) == 0) {
                try {
                    Database.execute(c, "INSERT INTO cartona_order_lines (hashed_id, account, lines, updated_at) VALUES (?, ?, ?, ?)",
                            hashedId, account.name(), text, now);
                } catch (SQLException e) {
                    if (!Database.isDuplicateKey(e)) {
                        throw e;
                    }
                    Database.execute(c, "UPDATE cartona_order_lines SET lines = ?, updated_at = ? WHERE hashed_id = ? AND account = ?",
                            text, now, hashedId, account.name());
                }
            }
        }
    }

    /** {@code 42=3;43=2}, ordered by key. */
    static String format(Map<String, Integer> lines) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(lines).forEach((product, amount) -> text.append(text.isEmpty() ? "" : ";").append(product).append('=').append(amount));
        return text.toString();
    }

    static Map<String, Integer> parse(String text) {
        Map<String, Integer> lines = new TreeMap<>();
        for (String entry : text.split(";")) {
            int at = entry.lastIndexOf('=');
            if (at > 0) {
                lines.put(entry.substring(0, at), Integer.parseInt(entry.substring(at + 1)));
            }
        }
        return lines;
    }
}

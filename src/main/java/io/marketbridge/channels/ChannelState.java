package io.marketbridge.channels;

import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.Digests;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per channel and SKU, what the channel last accepted: price, quantity, a hash of the content, when. */
@Singleton
public class ChannelState {

    private static final int IN_LIMIT = 500;

    /** What a channel holds for one SKU, as far as we know. */
    public record Accepted(BigDecimal price, int quantity, String contentHash) {
    }

    private final Database db;

    ChannelState(Database db) {
        this.db = db;
    }

    /** What {@code channel} last accepted for these SKUs; absent SKUs were never pushed. */
    public Map<String, Accepted> get(String channel, Collection<String> skus) throws SQLException {
        Map<String, Accepted> accepted = new HashMap<>();
        List<String> all = List.copyOf(skus);
        try (Connection c = db.connection()) {
            for (int from = 0; from < all.size(); from += IN_LIMIT) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIMIT));
                try (PreparedStatement ps = c.prepareStatement("SELECT sku, price, quantity, content_hash FROM channel_state"
                        + " WHERE channel = ? AND sku IN (" + Database.placeholders(chunk.size()) + ")")) {
                    ps.setString(1, channel);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            accepted.put(rs.getString(1), new Accepted(rs.getBigDecimal(2), rs.getInt(3), rs.getString(4)));
                        }
                    }
                }
            }
        }
        return accepted;
    }

    /** Records what {@code channel} accepted, in one transaction. */
    public void recordAccepted(String channel, List<CatalogItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        // one row per SKU, written in SKU order so that concurrent writers take row locks in the same order
        Map<String, CatalogItem> bySku = new TreeMap<>();
        items.forEach(item -> bySku.put(item.sku(), item));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // updated in place where known, so a concurrent writer's row is waited for, not missed
        db.inTransaction(c -> Database.updateOrInsert(c,
                "UPDATE channel_state SET price = ?, quantity = ?, content_hash = ?, pushed_at = ? WHERE channel = ? AND sku = ?",
                "INSERT INTO channel_state (price, quantity, content_hash, pushed_at, channel, sku) VALUES (?, ?, ?, ?, ?, ?)",
                bySku.values(), (ps, item) -> {
                    ps.setBigDecimal(1, item.price());
                    ps.setInt(2, item.quantity());
                    ps.setString(3, contentHash(item));
                    ps.setObject(4, now);
                    ps.setString(5, channel);
                    ps.setString(6, item.sku());
                }));
    }

    /**
     * Up to {@code limit} SKUs after {@code afterSku} (in SKU order) that the channel shows with stock and
     * that were last pushed before {@code since}.
     */
    public List<String> heldNotPushedSince(String channel, Instant since, String afterSku, int limit) throws SQLException {
        List<String> skus = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT sku FROM channel_state WHERE channel = ?"
                + " AND pushed_at < ? AND quantity > 0 AND sku > ? ORDER BY sku LIMIT " + limit)) {
            ps.setString(1, channel);
            ps.setObject(2, since.atOffset(ZoneOffset.UTC));
            ps.setString(3, afterSku);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    skus.add(rs.getString(1));
                }
            }
        }
        return skus;
    }

    /** SKUs a channel holds state for. */
    public long count(String channel) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM channel_state WHERE channel = ?")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Everything but price and quantity that a channel shows: a change of any of it is a change to push. */
    public static String contentHash(CatalogItem item) {
        String content = String.join("\u001f", String.valueOf(item.templateId()), nullSafe(item.templateName()), nullSafe(item.name()),
                nullSafe(item.description()), nullSafe(item.currency()), nullSafe(item.barcode()),
                String.valueOf(new TreeMap<>(item.attributes() == null ? Map.of() : item.attributes())));
        return Digests.sha256Hex(content);
    }

    private static String nullSafe(String value) {
        return value == null ? "" : value;
    }
}

package io.marketbridge.ebay.account;

import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.TransientFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The seller connected through /admin/ebay/connect, as stored in {@code ebay_connection}: who, since when, and
 * the refresh token (sealed; opened only when a token is refreshed). Read through a short cache, so every
 * replica sees a reconnect made on another one within {@link #CACHE}.
 */
@Singleton
public class EbaySellerConnection {

    static final String SELLER = "seller";
    private static final String ASSOCIATED_DATA = "marketbridge:ebay_connection:" + SELLER;
    private static final Duration CACHE = Duration.ofSeconds(30);

    /** The stored connection, without its token. */
    @RegisterForReflection
    public record Connected(String ebayUserId, Instant connectedAt, String connectedBy, Instant refreshTokenExpiresAt,
            String scopes) {
    }

    private record Row(Connected connected, String sealedRefreshToken) {
    }

    private record Snapshot(Optional<Row> row, Instant readAt) {
    }

    private final Database db;
    private final RefreshTokenCipher cipher;
    private volatile Snapshot snapshot;

    EbaySellerConnection(Database db, RefreshTokenCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public Optional<Connected> current() {
        return row(false).map(Row::connected);
    }

    /** The stored refresh token, opened; {@code fresh} skips the cache (after eBay rejected the cached one). */
    public Optional<String> refreshToken(boolean fresh) {
        return row(fresh).map(r -> cipher.open(r.sealedRefreshToken(), ASSOCIATED_DATA));
    }

    /** Stores a new connection, replacing the previous one; the token is sealed before it reaches the database. */
    public Connected save(String refreshToken, Instant refreshTokenExpiresAt, String scopes, String connectedBy) throws SQLException {
        String sealed = cipher.seal(refreshToken, ASSOCIATED_DATA);
        Instant now = Instant.now();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime expires = refreshTokenExpiresAt == null ? null : OffsetDateTime.ofInstant(refreshTokenExpiresAt, ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE ebay_connection SET ebay_user_id = NULL, refresh_token_sealed = ?, refresh_token_expires_at = ?,"
                    + " scopes = ?, connected_by = ?, connected_at = ? WHERE connection_id = ?", sealed, expires, scopes, connectedBy, at, SELLER) == 0) {
                Database.execute(c, "INSERT INTO ebay_connection (connection_id, refresh_token_sealed, refresh_token_expires_at, scopes,"
                        + " connected_by, connected_at) VALUES (?, ?, ?, ?, ?, ?)", SELLER, sealed, expires, scopes, connectedBy, at);
            }
        }
        Connected connected = new Connected(null, now, connectedBy, refreshTokenExpiresAt, scopes);
        snapshot = new Snapshot(Optional.of(new Row(connected, sealed)), Instant.now());
        return connected;
    }

    /** Records the eBay user id once it is known (it is fetched with the new token, after the connection is stored). */
    public void recordEbayUserId(String ebayUserId) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "UPDATE ebay_connection SET ebay_user_id = ? WHERE connection_id = ?", ebayUserId, SELLER);
        }
        snapshot = null;
    }

    private Optional<Row> row(boolean fresh) {
        Snapshot cached = snapshot;
        if (!fresh && cached != null && cached.readAt().plus(CACHE).isAfter(Instant.now())) {
            return cached.row();
        }
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT ebay_user_id, connected_at, connected_by, refresh_token_expires_at,"
                        + " scopes, refresh_token_sealed FROM ebay_connection WHERE connection_id = ?")) {
            ps.setString(1, SELLER);
            Optional<Row> row;
            try (ResultSet rs = ps.executeQuery()) {
                row = rs.next()
                        ? Optional.of(new Row(new Connected(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class)), rs.getString(3),
                                instant(rs.getObject(4, OffsetDateTime.class)), rs.getString(5)), rs.getString(6)))
                        : Optional.empty();
            }
            snapshot = new Snapshot(row, Instant.now());
            return row;
        } catch (SQLException e) {
            throw new TransientFailure(EbayTokens.PEER, "cannot read the stored eBay seller connection: " + e.getMessage(), e);
        }
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}

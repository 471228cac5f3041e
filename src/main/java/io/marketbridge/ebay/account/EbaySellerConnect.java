package io.marketbridge.ebay.account;

import io.marketbridge.admin.StatusSection;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.api.EbayTrading;
import io.marketbridge.ebay.notifications.EbayNotificationSubscriptions;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import io.marketbridge.pipeline.SyncFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Connects the seller to eBay with no manual step: {@code GET /admin/ebay/connect} sends the browser to eBay's
 * consent page with a single-use state; eBay sends it back to {@code /admin/ebay/callback} (the RuName's accept
 * and decline URL) with a code, which is exchanged for the seller's tokens. The refresh token is stored
 * encrypted, eBay calls resume if they were paused, and notifications are subscribed. Tokens are never logged.
 * <p>
 * The callback sits under /admin on purpose: the browser that started the flow has already sent the admin's
 * Basic credentials to this host and sends them again on eBay's redirect, so only an operator can complete a
 * connection; the state (random, single use, 10 minutes, in the database so any replica can check it) binds
 * the answer to a consent this service started.
 */
@Singleton
@Named("ebaySellerConnect")
public class EbaySellerConnect implements StatusSection {

    private static final Logger LOG = Logger.getLogger(EbaySellerConnect.class);
    /** Asked for when marketbridge.ebay.oauth.scopes is not set: what the flows of this service use. */
    public static final String DEFAULT_SCOPES = String.join(" ",
            "https://api.ebay.com/oauth/api_scope",
            "https://api.ebay.com/oauth/api_scope/sell.inventory",
            "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
            "https://api.ebay.com/oauth/api_scope/commerce.notification.subscription");
    private static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    private static final String START_AGAIN = " Start again at /admin/ebay/connect.";

    private final EbayConfig config;
    private final Database db;
    private final RefreshTokenCipher cipher;
    private final EbayTokens tokens;
    private final EbaySellerConnection connection;
    private final EbayTrading trading;
    private final EbayNotificationSubscriptions subscriptions;
    private final SecureRandom random = new SecureRandom();

    EbaySellerConnect(EbayConfig config, Database db, RefreshTokenCipher cipher, EbayTokens tokens,
            EbaySellerConnection connection, EbayTrading trading, EbayNotificationSubscriptions subscriptions) {
        this.config = config;
        this.db = db;
        this.cipher = cipher;
        this.tokens = tokens;
        this.connection = connection;
        this.trading = trading;
        this.subscriptions = subscriptions;
    }

    /** GET /admin/ebay/connect: a new state, and eBay's consent page URL to redirect to. */
    public String consentUrl(@Header("Authorization") String authorization) throws SQLException {
        String ruName = ruName();
        try {
            cipher.requireKey();
        } catch (PermanentFailure e) {
            throw new RejectedInput(503, "cannot connect a seller: " + e.getMessage());
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            Database.execute(c, "DELETE FROM ebay_oauth_state WHERE expires_at < ?", now.minusDays(1));
            Database.execute(c, "INSERT INTO ebay_oauth_state (state, started_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    state, adminName(authorization), now, now.plus(STATE_LIFETIME));
        }
        String authUrl = config.authUrl().orElse(config.environment().authUrl).toString().replaceAll("/$", "");
        return authUrl + "/oauth2/authorize?client_id=" + encode(config.appId().orElseThrow()) + "&response_type=code"
                + "&redirect_uri=" + encode(ruName) + "&scope=" + encode(scopes()) + "&state=" + state;
    }

    /** GET /admin/ebay/callback: eBay's answer for the seller, accepted ({@code code}) or declined ({@code error}). */
    public Map<String, Object> callback(@Header("code") String code, @Header("state") String state, @Header("error") String error,
            @Header("error_description") String errorDescription, @Header("Authorization") String authorization) throws SQLException {
        if (error != null && !error.isBlank()) {
            if (state != null && !state.isBlank()) {
                try {
                    useState(state); // a declined consent cannot be completed later
                } catch (RejectedInput alreadyUnusable) {
                    // declined either way: say so
                }
            }
            throw new RejectedInput(403, "The seller declined to connect the eBay account (eBay: " + clip(error)
                    + (errorDescription == null || errorDescription.isBlank() ? "" : ", " + clip(errorDescription))
                    + "). Nothing was stored." + START_AGAIN);
        }
        if (state == null || state.isBlank()) {
            throw new RejectedInput(400, "state is missing: this URL is where eBay's consent page returns the seller." + START_AGAIN);
        }
        useState(state);
        if (code == null || code.isBlank()) {
            throw new RejectedInput(400, "code is missing: eBay returns the seller with a code when the consent is accepted." + START_AGAIN);
        }
        String ruName = ruName();
        EbayTokens.Grant grant;
        try {
            grant = tokens.exchangeAuthorizationCode(code, ruName);
        } catch (SyncFailure e) {
            throw new RejectedInput(502, "eBay did not grant the seller's tokens: " + e.getMessage() + "." + START_AGAIN);
        }
        String admin = adminName(authorization);
        EbaySellerConnection.Connected connected;
        try {
            connected = connection.save(grant.refreshToken(), grant.refreshTokenExpiresAt(), scopes(), admin);
        } catch (PermanentFailure e) {
            throw new RejectedInput(503, "cannot store the seller's refresh token: " + e.getMessage());
        }
        tokens.connected(grant);
        String ebayUserId = null;
        try {
            ebayUserId = trading.call("GetUser", "").text("UserID").orElse(null);
            if (ebayUserId != null) {
                connection.recordEbayUserId(ebayUserId);
            }
        } catch (SyncFailure e) {
            LOG.warnf("eBay seller connected, but its user id is unknown (GetUser: %s)", e.getMessage());
        }
        LOG.infof("eBay seller %s connected by %s; refresh token stored encrypted, valid until %s",
                ebayUserId == null ? "(user id unknown)" : ebayUserId, admin == null ? "(dev mode)" : admin, grant.refreshTokenExpiresAt());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("connected", true);
        answer.put("ebayUserId", ebayUserId);
        answer.put("connectedAt", connected.connectedAt());
        answer.put("refreshTokenExpiresAt", connected.refreshTokenExpiresAt());
        answer.put("subscriptions", subscriptions.subscribeAll());
        return answer;
    }

    @Override
    public String section() {
        return "ebayConnection";
    }

    @Override
    public int order() {
        return 10;
    }

    /** The admin status's eBay connection section. */
    @Override
    public Map<String, Object> status() throws SQLException {
        Map<String, Object> status = new LinkedHashMap<>();
        Optional<EbaySellerConnection.Connected> stored = connection.current();
        status.put("connected", tokens.sellerConnected());
        status.put("source", stored.isPresent() ? "connect" : config.refreshToken().isPresent() ? "configuration" : null);
        stored.ifPresent(s -> {
            status.put("ebayUserId", s.ebayUserId());
            status.put("connectedSince", s.connectedAt());
            status.put("connectedBy", s.connectedBy());
            status.put("refreshTokenExpiresAt", s.refreshTokenExpiresAt());
            status.put("scopes", s.scopes());
        });
        status.put("paused", tokens.pausedBecause().orElse(null));
        status.put("subscriptions", subscriptions.list());
        return status;
    }

    /** Marks the state used; 400 with the reason when it is unknown, used already or expired. */
    private void useState(String state) throws SQLException {
        if (state.length() > 64 || !state.matches("[A-Za-z0-9_-]+")) {
            throw new RejectedInput(400, "unknown state: this consent was not started by this service." + START_AGAIN);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE ebay_oauth_state SET used_at = ? WHERE state = ? AND used_at IS NULL AND expires_at > ?",
                    now, state, now) == 1) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT used_at FROM ebay_oauth_state WHERE state = ?")) {
                ps.setString(1, state);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new RejectedInput(400, "unknown state: this consent was not started by this service." + START_AGAIN);
                    }
                    if (rs.getObject(1, OffsetDateTime.class) != null) {
                        throw new RejectedInput(400, "state already used: each consent completes once." + START_AGAIN);
                    }
                    throw new RejectedInput(400, "state expired: a consent must be completed within "
                            + STATE_LIFETIME.toMinutes() + " minutes." + START_AGAIN);
                }
            }
        }
    }

    private String ruName() {
        if (!config.enabled()) {
            throw new RejectedInput(409, "eBay is switched off (marketbridge.ebay.enabled=false): there is no seller to connect");
        }
        return config.oauth().ruName().filter(r -> !r.isBlank()).orElseThrow(() -> new RejectedInput(503,
                "cannot connect a seller: marketbridge.ebay.oauth.ru-name (MARKETBRIDGE_EBAY_OAUTH_RU_NAME) is not set. Create a"
                        + " RuName in the eBay developer portal (User Tokens) whose accept and decline URLs are this service's"
                        + " /admin/ebay/callback, and set its name."));
    }

    private String scopes() {
        return config.oauth().scopes().filter(s -> !s.isBlank()).map(String::trim).orElse(DEFAULT_SCOPES);
    }

    /** The admin who is connecting: the user of the Basic credentials Quarkus has already checked (none in dev mode). */
    private static String adminName(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon > 0 ? credentials.substring(0, colon) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String clip(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

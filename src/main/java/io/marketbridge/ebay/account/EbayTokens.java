package io.marketbridge.ebay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.SyncFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * eBay OAuth: the seller's user access token (from the refresh token stored by /admin/ebay/connect, else the
 * configured one) and the application token (client credentials), each cached and refreshed ahead of expiry.
 * A rejected refresh token ({@code invalid_grant}) pauses everything that needs the seller's token until the
 * seller is reconnected: no retry loop against eBay, readiness and a metric say why. Tokens are never logged.
 */
@Singleton
public class EbayTokens {

    private static final Logger LOG = Logger.getLogger(EbayTokens.class);
    public static final String PEER = "ebay";
    private static final String APPLICATION_SCOPE = "https://api.ebay.com/oauth/api_scope";
    public static final String RECONNECT = "Reconnect the seller at /admin/ebay/connect (or set a new"
            + " marketbridge.ebay.refresh-token, MARKETBRIDGE_EBAY_REFRESH_TOKEN, and restart the service).";

    private record Token(String value, Instant expiresAt) {
    }

    /** What eBay grants for an authorization code: the user token and the long-lived refresh token. */
    public record Grant(String accessToken, long expiresIn, String refreshToken, Instant refreshTokenExpiresAt) {
        @Override
        public String toString() {
            return "Grant[expiresIn=" + expiresIn + ", refreshTokenExpiresAt=" + refreshTokenExpiresAt + "]"; // never the tokens
        }
    }

    /** eBay said invalid_grant to a refresh token. */
    private static final class InvalidGrant extends RuntimeException {
        InvalidGrant() {
            super("invalid_grant", null, false, false);
        }
    }

    private final EbayConfig config;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final EbaySellerConnection connection;
    private volatile Token user;
    private volatile Token application;
    private volatile String pausedBecause;
    private volatile Instant pausedAt;

    EbayTokens(EbayConfig config, PeerHttp http, ObjectMapper json, MeterRegistry metrics, EbaySellerConnection connection) {
        this.config = config;
        this.http = http;
        this.json = json;
        this.metrics = metrics;
        this.connection = connection;
        Gauge.builder("marketbridge.ebay.authorized", this, t -> t.pausedBecause().isEmpty() ? 1 : 0)
                .description("1 while the seller's eBay authorization works, 0 once eBay rejected it").register(metrics);
    }

    /** Whether a seller is connected: through /admin/ebay/connect, or by a configured refresh token. */
    public boolean sellerConnected() {
        return config.refreshToken().isPresent() || connection.current().isPresent();
    }

    /** eBay enabled, a seller connected and not paused: only then do pollers call the seller's APIs. */
    public boolean sellerCallsAllowed() {
        return config.enabled() && sellerConnected() && pausedBecause().isEmpty();
    }

    /** A valid user access token, refreshed first if it expires within the configured buffer. */
    public String userToken() {
        Optional<String> paused = pausedBecause();
        if (paused.isPresent()) {
            throw new PermanentFailure(PEER, paused.get());
        }
        Token token = user;
        if (token == null || expiresSoon(token)) {
            synchronized (this) {
                token = user;
                if (token == null || expiresSoon(token)) {
                    token = refreshUserToken();
                    user = token;
                }
            }
        }
        return token.value();
    }

    /** eBay answered 401 to this token: forget it, so the next call refreshes (once). */
    public void userTokenRejected(String token) {
        synchronized (this) {
            if (user != null && user.value().equals(token)) {
                user = null;
            }
        }
    }

    public void applicationTokenRejected(String token) {
        synchronized (this) {
            if (application != null && application.value().equals(token)) {
                application = null;
            }
        }
    }

    /** The application token, for APIs that act for the application (Taxonomy, notification keys). */
    public String applicationToken() {
        Token token = application;
        if (token == null || expiresSoon(token)) {
            synchronized (this) {
                token = application;
                if (token == null || expiresSoon(token)) {
                    token = request("client_credentials", "grant_type=client_credentials&scope=" + encode(APPLICATION_SCOPE), "application");
                    application = token;
                }
            }
        }
        return token.value();
    }

    /** The seller revoked the application (AUTHORIZATION_REVOCATION): stop calling eBay until reconnected. */
    public void pause(String reason) {
        pausedAt = Instant.now();
        pausedBecause = reason;
        LOG.error(reason);
    }

    /** Why the eBay flows are paused, if they are; a reconnect since the pause (on any replica) lifts it. */
    public Optional<String> pausedBecause() {
        String paused = pausedBecause;
        Instant since = pausedAt;
        if (paused == null) {
            return Optional.empty();
        }
        try {
            if (since != null && connection.current().map(c -> c.connectedAt().isAfter(since)).orElse(false)) {
                resume("the seller was reconnected");
                return Optional.empty();
            }
        } catch (TransientFailure e) {
            // the store cannot say: stay paused
        }
        return Optional.of(paused);
    }

    /**
     * Exchanges the code from eBay's consent page (authorization_code grant, {@code redirect_uri} = the RuName).
     * An expired or reused code is a {@link PermanentFailure} naming invalid_grant.
     */
    public Grant exchangeAuthorizationCode(String code, String ruName) {
        JsonNode body = tokenRequest("authorization_code", "grant_type=authorization_code&code=" + encode(code)
                + "&redirect_uri=" + encode(ruName), "authorization_code");
        String refreshToken = body.path("refresh_token").asText("");
        if (refreshToken.isEmpty()) {
            throw new PermanentFailure(PEER, "eBay granted no refresh token for the authorization code");
        }
        long refreshSeconds = body.path("refresh_token_expires_in").asLong(0);
        return new Grant(body.get("access_token").asText(), body.path("expires_in").asLong(7200), refreshToken,
                refreshSeconds > 0 ? Instant.now().plusSeconds(refreshSeconds) : null);
    }

    /** The seller has just been connected (the grant's refresh token is stored): use its token, lift any pause. */
    public synchronized void connected(Grant grant) {
        user = new Token(grant.accessToken(), Instant.now().plusSeconds(grant.expiresIn()));
        if (pausedBecause != null) {
            resume("the seller was reconnected through /admin/ebay/connect");
        }
    }

    private synchronized void resume(String why) {
        if (pausedBecause != null) {
            pausedBecause = null;
            pausedAt = null;
            user = user != null && !expiresSoon(user) ? user : null;
            LOG.infof("eBay calls resumed: %s", why);
        }
    }

    private boolean expiresSoon(Token token) {
        return Instant.now().plus(config.oauth().refreshBuffer()).isAfter(token.expiresAt());
    }

    private Token refreshUserToken() {
        String refreshToken = refreshToken(false);
        try {
            return refresh(refreshToken);
        } catch (InvalidGrant rejected) {
            // another replica may have reconnected the seller since this one read the stored token
            String latest = refreshToken(true);
            if (!latest.equals(refreshToken)) {
                try {
                    return refresh(latest);
                } catch (InvalidGrant alsoRejected) {
                    // paused below
                }
            }
            String reason = "eBay rejected the seller's refresh token (invalid_grant: revoked, expired or issued to another"
                    + " application). eBay calls are paused. " + RECONNECT;
            pause(reason);
            throw new PermanentFailure(PEER, reason);
        }
    }

    /** The stored connection's refresh token wins over the configured one: connecting is how a seller re-authorises. */
    private String refreshToken(boolean fresh) {
        return connection.refreshToken(fresh).or(config::refreshToken).orElseThrow(() -> new PermanentFailure(PEER,
                "no seller authorization: connect the seller at /admin/ebay/connect, or set marketbridge.ebay.refresh-token"
                        + " (MARKETBRIDGE_EBAY_REFRESH_TOKEN)"));
    }

    private Token refresh(String refreshToken) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&refresh_token=").append(encode(refreshToken));
        config.oauth().scopes().filter(s -> !s.isBlank()).ifPresent(s -> form.append("&scope=").append(encode(s.trim())));
        return request("refresh_token", form.toString(), "user");
    }

    private Token request(String grant, String form, String kind) {
        JsonNode body = tokenRequest(grant, form, kind);
        return new Token(body.get("access_token").asText(), Instant.now().plusSeconds(body.path("expires_in").asLong(7200)));
    }

    /** POSTs one grant to eBay's token endpoint; the answer when it carries an access token, else a classified failure. */
    private JsonNode tokenRequest(String grant, String form, String kind) {
        URI endpoint = URI.create(config.apiUrl().orElse(config.environment().apiUrl).toString().replaceAll("/$", "")
                + "/identity/v1/oauth2/token");
        String basic = Base64.getEncoder().encodeToString((config.appId().orElseThrow() + ":" + config.certId().orElseThrow())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = http.send(PEER, HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        JsonNode body = parse(response.body());
        String error = body.path("error").asText("");
        if (response.statusCode() == 200 && body.hasNonNull("access_token")) {
            metrics.counter("marketbridge.ebay.token.refreshes", "kind", kind).increment();
            return body;
        }
        if ("invalid_grant".equals(error) && grant.equals("refresh_token")) {
            throw new InvalidGrant();
        }
        if ("invalid_grant".equals(error)) {
            throw new PermanentFailure(PEER, "eBay refused the authorization code (invalid_grant: expired, already used, or"
                    + " issued for another RuName)");
        }
        if ("invalid_client".equals(error)) {
            throw new PermanentFailure(PEER, "eBay rejected the application keys (invalid_client): check marketbridge.ebay.app-id"
                    + " and marketbridge.ebay.cert-id for the " + config.environment().name().toLowerCase() + " environment");
        }
        SyncFailure failure = PeerHttp.failure(PEER, response.statusCode(), PeerHttp.retryAfter(response).orElse(null),
                grant + " token request failed" + (error.isEmpty() ? "" : " (" + error + ")"));
        throw failure;
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body == null || body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

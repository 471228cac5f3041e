package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.SyncFailure;
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
 * eBay OAuth: the seller's user access token (from the configured refresh token) and the
 * application token (client credentials), each cached and refreshed ahead of expiry. A rejected
 * refresh token ({@code invalid_grant}) pauses everything that needs the seller's token until an
 * operator reconnects the seller: no retry loop against eBay, readiness and a metric say why.
 * Tokens are never logged.
 */
@Singleton
public class EbayTokens {

    private static final Logger LOG = Logger.getLogger(EbayTokens.class);
    static final String PEER = "ebay";
    private static final String APPLICATION_SCOPE = "https://api.ebay.com/oauth/api_scope";

    private record Token(String value, Instant expiresAt) {
    }

    private final MarketbridgeConfig.Ebay config;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private volatile Token user;
    private volatile Token application;
    private volatile String pausedBecause;

    EbayTokens(MarketbridgeConfig config, PeerHttp http, ObjectMapper json, MeterRegistry metrics) {
        this.config = config.ebay();
        this.http = http;
        this.json = json;
        this.metrics = metrics;
        Gauge.builder("marketbridge.ebay.authorized", this, t -> t.pausedBecause == null ? 1 : 0)
                .description("1 while the seller's eBay authorization works, 0 once eBay rejected it").register(metrics);
    }

    /** A valid user access token, refreshed first if it expires within the configured buffer. */
    public String userToken() {
        String paused = pausedBecause;
        if (paused != null) {
            throw new PermanentFailure(PEER, paused);
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
        pausedBecause = reason;
        LOG.error(reason);
    }

    /** Why the eBay flows are paused, if they are. */
    public Optional<String> pausedBecause() {
        return Optional.ofNullable(pausedBecause);
    }

    private boolean expiresSoon(Token token) {
        return Instant.now().plus(config.oauth().refreshBuffer()).isAfter(token.expiresAt());
    }

    private Token refreshUserToken() {
        String refreshToken = config.refreshToken().orElseThrow(() -> new PermanentFailure(PEER,
                "no seller authorization: set marketbridge.ebay.refresh-token (MARKETBRIDGE_EBAY_REFRESH_TOKEN)"));
        StringBuilder form = new StringBuilder("grant_type=refresh_token&refresh_token=").append(encode(refreshToken));
        config.oauth().scopes().filter(s -> !s.isBlank()).ifPresent(s -> form.append("&scope=").append(encode(s.trim())));
        return request("refresh_token", form.toString(), "user");
    }

    private Token request(String grant, String form, String kind) {
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
            long seconds = body.path("expires_in").asLong(7200);
            return new Token(body.get("access_token").asText(), Instant.now().plusSeconds(seconds));
        }
        if ("invalid_grant".equals(error) && grant.equals("refresh_token")) {
            pausedBecause = "eBay rejected the seller's refresh token (invalid_grant: revoked, expired or issued to another"
                    + " application). eBay calls are paused. Reconnect the seller: obtain a new refresh token, set it as"
                    + " marketbridge.ebay.refresh-token (MARKETBRIDGE_EBAY_REFRESH_TOKEN) and restart the service.";
            LOG.error(pausedBecause);
            throw new PermanentFailure(PEER, pausedBecause);
        }
        if ("invalid_client".equals(error)) {
            throw new PermanentFailure(PEER, "eBay rejected the application keys (invalid_client): check marketbridge.ebay.app-id"
                    + " and marketbridge.ebay.cert-id for the " + config.environment().name().toLowerCase() + " environment");
        }
        SyncFailure failure = PeerHttp.failure(PEER, response.statusCode(), PeerHttp.retryAfter(response).orElse(null),
                "token request failed" + (error.isEmpty() ? "" : " (" + error + ")"));
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

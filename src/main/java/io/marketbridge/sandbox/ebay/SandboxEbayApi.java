package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated eBay REST side: the OAuth token endpoint (refresh and client-credentials grants,
 * with the sandbox keyset and refresh token), and APIs that demand a valid, unexpired token.
 * Tests shorten token lifetimes, revoke the refresh token or expire a token early through
 * {@code /sandbox/ebay/_auth}, and count grants in {@code /sandbox/ebay/_auth/stats}.
 */
@Singleton
public class SandboxEbayApi {

    public static final String REFRESH_TOKEN = "sandbox-refresh-token";

    private final ObjectMapper json;
    private final String appId;
    private final String certId;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();
    private volatile long ttlSeconds = 7200;
    private volatile boolean refreshTokenRevoked;

    SandboxEbayApi(ObjectMapper json, MarketbridgeConfig config) {
        this.json = json;
        this.appId = config.ebay().appId().orElse("");
        this.certId = config.ebay().certId().orElse("");
    }

    void mount(@Observes Router router, MarketbridgeConfig config) {
        if (!config.sandbox().enabled()) {
            return;
        }
        router.post("/sandbox/ebay/identity/v1/oauth2/token").handler(BodyHandler.create()).handler(this::token);
        router.post("/sandbox/ebay/_auth").handler(BodyHandler.create()).handler(this::control);
        router.get("/sandbox/ebay/_auth/stats").handler(ctx -> send(ctx.response(), 200, Map.of("grants", counts(),
                "ttlSeconds", ttlSeconds, "refreshTokenRevoked", refreshTokenRevoked)));
        router.get("/sandbox/ebay/sell/fulfillment/v1/order").handler(ctx -> {
            if (authorized(ctx)) {
                send(ctx.response(), 200, Map.of("href", ctx.request().uri(), "total", 0, "limit", 50, "offset", 0, "orders", List.of()));
            }
        });
    }

    private void token(RoutingContext ctx) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((appId + ":" + certId).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ctx.request().getHeader("Authorization"))) {
            send(ctx.response(), 401, Map.of("error", "invalid_client", "error_description", "client authentication failed"));
            return;
        }
        Map<String, String> form = form(ctx.body().asString());
        String grant = form.getOrDefault("grant_type", "");
        if (grant.equals("refresh_token") && (refreshTokenRevoked || !REFRESH_TOKEN.equals(form.get("refresh_token")))) {
            send(ctx.response(), 400, Map.of("error", "invalid_grant",
                    "error_description", "the provided authorization refresh token is invalid or was issued to another client"));
            return;
        }
        if (!grant.equals("refresh_token") && !grant.equals("client_credentials")) {
            send(ctx.response(), 400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
            return;
        }
        grants.computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
        String token = "v^1.1#i^1#sandbox-" + grant + "-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plusSeconds(ttlSeconds));
        send(ctx.response(), 200, Map.of("access_token", token, "expires_in", ttlSeconds,
                "token_type", grant.equals("refresh_token") ? "User Access Token" : "Application Access Token"));
    }

    /** True for a known, unexpired bearer token; otherwise answers eBay's 401. */
    boolean authorized(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        Instant expiry = header == null || !header.startsWith("Bearer ") ? null : tokens.get(header.substring(7));
        if (expiry != null && Instant.now().isBefore(expiry)) {
            return true;
        }
        send(ctx.response(), 401, Map.of("errors", List.of(Map.of("errorId", 1001, "domain", "OAuth", "category", "REQUEST",
                "message", "Invalid access token", "longMessage", "Invalid access token. Check the value of the Authorization HTTP request header."))));
        return false;
    }

    /** {@code {"ttlSeconds":5}}, {@code {"revokeRefreshToken":true}}, {@code {"expireIssuedTokens":true}}. */
    private void control(RoutingContext ctx) {
        try {
            Map<String, Object> body = json.readValue(ctx.body().asString(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
            });
            if (body.get("ttlSeconds") instanceof Number n) {
                ttlSeconds = n.longValue();
            }
            if (body.containsKey("revokeRefreshToken")) {
                refreshTokenRevoked = Boolean.TRUE.equals(body.get("revokeRefreshToken"));
            }
            if (Boolean.TRUE.equals(body.get("expireIssuedTokens"))) {
                tokens.replaceAll((token, expiry) -> Instant.EPOCH);
            }
            send(ctx.response(), 200, Map.of("grants", counts(), "ttlSeconds", ttlSeconds, "refreshTokenRevoked", refreshTokenRevoked));
        } catch (IOException e) {
            send(ctx.response(), 400, Map.of("error", e.getMessage()));
        }
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        grants.forEach((grant, count) -> counts.put(grant, count.get()));
        return counts;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : (body == null ? "" : body).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private void send(HttpServerResponse response, int status, Object body) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
        } catch (IOException e) {
            response.setStatusCode(500).end(e.getMessage());
        }
    }
}

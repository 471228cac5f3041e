package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.sandbox.SandboxFaults;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated eBay REST side: the seller's consent page and the OAuth token endpoint
 * (authorization-code, refresh and client-credentials grants, with the sandbox keyset; the sandbox
 * refresh token and every one issued for a code work), and APIs that demand a valid, unexpired token.
 * Tests shorten token lifetimes, revoke the refresh tokens or expire a token early through
 * {@code /sandbox/ebay/_auth}, and count grants in {@code /sandbox/ebay/_auth/stats}.
 */
@Singleton
public class SandboxEbayApi {

    public static final String REFRESH_TOKEN = "sandbox-refresh-token";
    private static final String REFRESH_TOKEN_PREFIX = "v^1.1#i^1#r^1#sandbox-refresh-";
    /** The simulated seller's eBay user id: the owner of every user token. */
    public static final String SELLER_USER_ID = "sandbox_seller";
    static final String APPLICATION = "application";

    private final ObjectMapper json;
    private final String appId;
    private final String certId;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
    /** getOrders calls by filter (polls) and by orderIds (fetches after a notification), counted apart. */
    private final AtomicInteger getOrdersCalls = new AtomicInteger();
    private final AtomicInteger getOrdersByIdCalls = new AtomicInteger();
    private final AtomicLong orderNumbers = new AtomicLong(
            100_000_000_000L + ThreadLocalRandom.current().nextLong(100_000_000_000L));
    private final AtomicLong clock = new AtomicLong();
    /** The key pair the simulated eBay signs Commerce notifications with. */
    private final KeyPair notificationKeys;
    private final AtomicInteger publicKeyFetches = new AtomicInteger();
    public static final String KID = "sandbox-ecdsa-1";
    /** Calls used per API today, as the Analytics API reports them: {used, limit}. */
    private final Map<String, long[]> budgets = new ConcurrentHashMap<>(Map.of(
            "sell.fulfillment", new long[] {0, 100_000}, "sell.inventory", new long[] {0, 2_000_000}));
    /** A budget's window end when a test set one; otherwise the next midnight UTC. */
    private final Map<String, String> resets = new ConcurrentHashMap<>();
    private volatile long ttlSeconds = 7200;

    // --- consent and authorization codes (connecting the seller) ---
    private record AuthorizationCode(String ruName, Instant expiresAt) {
    }

    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    /** Refresh tokens that work (unless revoked): the sandbox's own and every one issued for a code, in order. */
    private final List<String> refreshTokens = new CopyOnWriteArrayList<>(List.of(REFRESH_TOKEN));
    private final Set<String> revokedRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> refreshGrantsByToken = new ConcurrentHashMap<>();
    /** Whose each access token is: the seller's user id, or the application. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final AtomicInteger consents = new AtomicInteger();
    private final AtomicInteger declines = new AtomicInteger();
    private final String ruName;
    private final String acceptUrl;

    SandboxEbayApi(ObjectMapper json, EbayConfig config, SandboxSettings sandbox) throws GeneralSecurityException {
        this.json = json;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        this.notificationKeys = generator.generateKeyPair();
        this.appId = config.appId().orElse("");
        this.certId = config.certId().orElse("");
        this.ruName = config.oauth().ruName().orElse("");
        this.acceptUrl = sandbox.ebay().acceptUrl().orElse("");
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        SandboxFaults.mount(router, json, "/sandbox/ebay", SandboxEbayApi::error);
        router.post("/sandbox/ebay/identity/v1/oauth2/token").handler(BodyHandler.create()).handler(this::token);
        router.get("/sandbox/ebay/oauth2/authorize").handler(this::consent);
        router.post("/sandbox/ebay/_auth").handler(BodyHandler.create()).handler(this::control);
        router.get("/sandbox/ebay/_auth/stats").handler(ctx -> send(ctx.response(), 200, authStats()));
        router.get("/sandbox/ebay/sell/fulfillment/v1/order").handler(ctx -> {
            if (authorized(ctx)) {
                getOrders(ctx);
            }
        });
        router.get("/sandbox/ebay/commerce/notification/v1/public_key/:kid").handler(ctx -> {
            if (authorized(ctx)) {
                publicKey(ctx);
            }
        });
        router.post("/sandbox/ebay/_commerce/sign").handler(BodyHandler.create()).handler(this::signNotification);
        router.get("/sandbox/ebay/_commerce/stats").handler(ctx -> send(ctx.response(), 200, Map.of("publicKeyFetches", publicKeyFetches.get())));
        router.get("/sandbox/ebay/developer/analytics/v1_beta/rate_limit*").handler(ctx -> {
            if (authorized(ctx)) {
                send(ctx.response(), 200, rateLimits());
            }
        });
        router.get("/sandbox/ebay/developer/analytics/v1_beta/user_rate_limit*").handler(ctx -> {
            if (authorized(ctx)) {
                send(ctx.response(), 200, rateLimits());
            }
        });
        router.post("/sandbox/ebay/_quota").handler(BodyHandler.create()).handler(ctx -> {
            Map<String, Object> body = body(ctx);
            String api = String.valueOf(body.get("api"));
            budgets.put(api, new long[] {((Number) body.get("used")).longValue(), ((Number) body.getOrDefault("limit", 100_000)).longValue()});
            if (body.get("reset") != null) {
                resets.put(api, String.valueOf(body.get("reset")));
            }
            send(ctx.response(), 200, rateLimits());
        });
        router.post("/sandbox/ebay/_orders").handler(BodyHandler.create()).handler(this::createOrders);
        router.post("/sandbox/ebay/_orders/:orderId").handler(BodyHandler.create()).handler(this::updateOrder);
        router.get("/sandbox/ebay/_orders/stats").handler(ctx -> send(ctx.response(), 200,
                Map.of("orders", orders.size(), "getOrdersCalls", getOrdersCalls.get(),
                "getOrdersByIdCalls", getOrdersByIdCalls.get())));
    }

    /**
     * Whether this simulated eBay issued the refresh token to this client, perhaps before a restart: the
     * token carries a MAC keyed by the client secret, as a real one is verifiable by eBay long after it
     * was issued. Keeps a demo's connected seller connected across restarts of the demo.
     */
    private boolean issuedHere(String refreshToken) {
        if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) {
            return false;
        }
        String[] serialAndSeal = refreshToken.substring(REFRESH_TOKEN_PREFIX.length()).split("#", 2);
        return serialAndSeal.length == 2 && MessageDigest.isEqual(
                seal(serialAndSeal[0]).getBytes(StandardCharsets.US_ASCII), serialAndSeal[1].getBytes(StandardCharsets.US_ASCII));
    }

    private String seal(String serial) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(certId.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(serial.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void token(RoutingContext ctx) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((appId + ":" + certId).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ctx.request().getHeader("Authorization"))) {
            send(ctx.response(), 401, Map.of("error", "invalid_client", "error_description", "client authentication failed"));
            return;
        }
        Map<String, String> form = form(ctx.body().asString());
        String grant = form.getOrDefault("grant_type", "");
        String refreshToken = null;
        switch (grant) {
            case "refresh_token" -> {
                String presented = form.getOrDefault("refresh_token", "");
                if (!refreshTokens.contains(presented) && issuedHere(presented)) {
                    refreshTokens.add(presented); // issued before a restart: eBay's own tokens outlive its simulator
                }
                if (!refreshTokens.contains(presented) || revokedRefreshTokens.contains(presented)) {
                    send(ctx.response(), 400, Map.of("error", "invalid_grant",
                            "error_description", "the provided authorization refresh token is invalid or was issued to another client"));
                    return;
                }
                refreshGrantsByToken.computeIfAbsent(presented, t -> new AtomicInteger()).incrementAndGet();
            }
            case "authorization_code" -> {
                AuthorizationCode code = codes.remove(form.getOrDefault("code", "")); // single use
                if (code == null || Instant.now().isAfter(code.expiresAt()) || !code.ruName().equals(form.get("redirect_uri"))) {
                    send(ctx.response(), 400, Map.of("error", "invalid_grant",
                            "error_description", "the provided authorization grant code is invalid or was issued to another client"));
                    return;
                }
                String serial = UUID.randomUUID().toString();
                refreshToken = REFRESH_TOKEN_PREFIX + serial + "#" + seal(serial);
                refreshTokens.add(refreshToken);
            }
            case "client_credentials" -> {
                // the application's own token
            }
            default -> {
                send(ctx.response(), 400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
                return;
            }
        }
        grants.computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
        String token = "v^1.1#i^1#sandbox-" + grant + "-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plusSeconds(ttlSeconds));
        owners.put(token, grant.equals("client_credentials") ? APPLICATION : SELLER_USER_ID);
        Map<String, Object> answer = new HashMap<>(Map.of("access_token", token, "expires_in", ttlSeconds,
                "token_type", grant.equals("client_credentials") ? "Application Access Token" : "User Access Token"));
        if (refreshToken != null) {
            answer.put("refresh_token", refreshToken);
            answer.put("refresh_token_expires_in", 47_304_000);
        }
        send(ctx.response(), 200, answer);
    }

    /**
     * eBay's consent page, as if the seller signed in and agreed at once ({@code decline=true}: clicked "No thanks"):
     * back to the RuName's accept URL with a code valid 5 minutes, or with {@code error=access_denied}.
     */
    private void consent(RoutingContext ctx) {
        String problem = !appId.equals(ctx.request().getParam("client_id")) ? "unknown client_id"
                : !"code".equals(ctx.request().getParam("response_type")) ? "response_type must be code"
                : ruName.isEmpty() || !ruName.equals(ctx.request().getParam("redirect_uri")) ? "redirect_uri is not a RuName of this application"
                : ctx.request().getParam("scope") == null || ctx.request().getParam("scope").isBlank() ? "scope is required"
                : acceptUrl.isEmpty() ? "the sandbox RuName has no accept URL (marketbridge.sandbox.ebay.accept-url)" : null;
        if (problem != null) {
            send(ctx.response(), 400, Map.of("error", "invalid_request", "error_description", problem));
            return;
        }
        String state = ctx.request().getParam("state");
        String back = acceptUrl + (acceptUrl.contains("?") ? "&" : "?") + (state == null ? "" : "state=" + encode(state) + "&");
        if ("true".equals(ctx.request().getParam("decline"))) {
            declines.incrementAndGet();
            back += "error=access_denied&error_description=" + encode("The user declined to grant access");
        } else {
            consents.incrementAndGet();
            String code = "v^1.1#i^1#f^0#p^3#I^3#r^1#t^" + UUID.randomUUID();
            codes.put(code, new AuthorizationCode(ruName, Instant.now().plusSeconds(299)));
            back += "code=" + encode(code) + "&expires_in=299";
        }
        ctx.response().setStatusCode(302).putHeader("Location", back).end();
    }

    /** Whose token this is (seller user id or {@link #APPLICATION}), if it is known and unexpired. */
    Optional<String> owner(String token) {
        Instant expiry = token == null ? null : tokens.get(token);
        return expiry != null && Instant.now().isBefore(expiry) ? Optional.ofNullable(owners.get(token)) : Optional.empty();
    }

    /** The owner of the request's bearer token; call after {@link #authorized}. */
    String owner(RoutingContext ctx) {
        return owner(ctx.request().getHeader("Authorization").substring(7)).orElse(APPLICATION);
    }

    private Map<String, Object> authStats() {
        Map<String, Integer> byToken = new HashMap<>();
        refreshGrantsByToken.forEach((token, count) -> byToken.put(token, count.get()));
        return Map.of("grants", counts(), "ttlSeconds", ttlSeconds, "refreshTokenRevoked", !revokedRefreshTokens.isEmpty(),
                "issuedRefreshTokens", refreshTokens.subList(1, refreshTokens.size()), "refreshGrantsByToken", byToken,
                "consents", consents.get(), "declines", declines.get());
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

    // --- Commerce notifications: public key and signed pushes -------------------------------------

    private void publicKey(RoutingContext ctx) {
        publicKeyFetches.incrementAndGet();
        if (!KID.equals(ctx.pathParam("kid"))) {
            send(ctx.response(), 404, Map.of("errors", List.of(Map.of("errorId", 195000, "domain", "API_NOTIFICATION",
                    "message", "Resource not found: public key " + ctx.pathParam("kid")))));
            return;
        }
        String pem = "-----BEGIN PUBLIC KEY-----" + Base64.getEncoder().encodeToString(notificationKeys.getPublic().getEncoded())
                + "-----END PUBLIC KEY-----";
        send(ctx.response(), 200, Map.of("key", pem, "algorithm", "ECDSA", "digest", "SHA1"));
    }

    /**
     * {@code {"topic":"ORDER_CONFIRMATION","data":{...},"notificationId":"..."}} → the JSON body eBay
     * would push and its {@code X-EBAY-SIGNATURE} header, for a test or a demo to post.
     */
    private void signNotification(RoutingContext ctx) {
        Map<String, Object> request = body(ctx);
        Map<String, Object> envelope = Map.of(
                "metadata", Map.of("topic", request.getOrDefault("topic", "ORDER_CONFIRMATION"), "schemaVersion", "1.0", "deprecated", false),
                "notification", Map.of("notificationId", request.getOrDefault("notificationId", UUID.randomUUID().toString()),
                        "eventDate", Instant.now().toString(), "publishDate", Instant.now().toString(), "publishAttemptCount", 1,
                        "data", request.getOrDefault("data", Map.of())));
        try {
            byte[] body = json.writeValueAsBytes(envelope);
            Signature signer = Signature.getInstance("SHA1withECDSA");
            signer.initSign(notificationKeys.getPrivate());
            signer.update(body);
            String header = Base64.getEncoder().encodeToString(json.writeValueAsBytes(Map.of("alg", "ecdsa",
                    "kid", request.getOrDefault("kid", KID), "signature", Base64.getEncoder().encodeToString(signer.sign()), "digest", "SHA1")));
            send(ctx.response(), 200, Map.of("body", new String(body, StandardCharsets.UTF_8), "signature", header));
        } catch (IOException | GeneralSecurityException e) {
            send(ctx.response(), 500, Map.of("error", e.getMessage()));
        }
    }

    // --- Developer Analytics: call budgets --------------------------------------------------------

    private Map<String, Object> rateLimits() {
        String reset = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.DAYS)
                .plus(Duration.ofDays(1)));
        List<Object> apis = new ArrayList<>();
        budgets.forEach((api, budget) -> apis.add(Map.of("apiContext", "sell", "apiName", api, "apiVersion", "v1",
                "resources", List.of(Map.of("name", api, "rates", List.of(Map.of("count", budget[0], "limit", budget[1],
                        "remaining", Math.max(0, budget[1] - budget[0]), "reset", resets.getOrDefault(api, reset),
                        "timeWindow", 86400)))))));
        return Map.of("rateLimits", apis);
    }

    // --- Fulfillment: orders ---------------------------------------------------------------------

    /** {@code GET /sell/fulfillment/v1/order?filter=lastmodifieddate:[from..]&limit=&offset=} or {@code ?orderIds=a,b}. */
    private void getOrders(RoutingContext ctx) {
        String orderIds = ctx.request().getParam("orderIds");
        (orderIds == null ? getOrdersCalls : getOrdersByIdCalls).incrementAndGet();
        List<Map<String, Object>> matching;
        if (orderIds != null) {
            matching = Arrays.stream(orderIds.split(",")).map(String::trim).map(orders::get)
                    .filter(Objects::nonNull).toList();
        } else {
            Instant from = Instant.EPOCH;
            Instant to = Instant.MAX;
            String filter = ctx.request().getParam("filter");
            if (filter != null) {
                Matcher m = Pattern.compile("lastmodifieddate:\\[(.*?)\\.\\.(.*?)\\]").matcher(filter);
                if (!m.find()) {
                    send(ctx.response(), 400, Map.of("errors", List.of(Map.of("errorId", 30700, "domain", "API_FULFILLMENT",
                            "category", "REQUEST", "message", "Invalid filter: " + filter))));
                    return;
                }
                from = m.group(1).isEmpty() ? Instant.EPOCH : Instant.parse(m.group(1));
                to = m.group(2).isEmpty() ? Instant.MAX : Instant.parse(m.group(2));
            }
            Instant since = from;
            Instant until = to;
            Matcher status = Pattern.compile("orderfulfillmentstatus:\\{(.*?)\\}").matcher(filter == null ? "" : filter);
            List<String> statuses = status.find() ? List.of(status.group(1).split("\\|")) : null;
            matching = orders.values().stream()
                    .filter(o -> statuses == null || statuses.contains(String.valueOf(o.get("orderFulfillmentStatus"))))
                    .filter(o -> { Instant t = Instant.parse((String) o.get("lastModifiedDate")); return !t.isBefore(since) && !t.isAfter(until); })
                    .sorted(Comparator.comparing((Map<String, Object> o) -> (String) o.get("lastModifiedDate"))
                            .thenComparing(o -> (String) o.get("orderId")))
                    .toList();
        }
        int limit = Math.max(1, Math.min(200, intParam(ctx, "limit", 50)));
        int offset = Math.max(0, intParam(ctx, "offset", 0));
        List<Map<String, Object>> page = matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit));
        Map<String, Object> answer = new HashMap<>();
        answer.put("href", ctx.request().uri());
        answer.put("total", matching.size());
        answer.put("limit", limit);
        answer.put("offset", offset);
        answer.put("orders", page);
        if (offset + limit < matching.size()) {
            answer.put("next", "offset=" + (offset + limit));
        }
        send(ctx.response(), 200, answer);
    }

    /**
     * {@code {"count":10,"lines":[{"sku":"A","quantity":2,"price":"9.99","discountedPrice":"8.99","collectedTax":"1.20"}],
     * "deliveryCost":"4.50","deliveryDiscount":"1.00",
     * "paid":true,"buyer":"alice","email":"a@example.com","fullName":"Alice Doe","phone":"4085550123","street":"1 Main St",
     * "city":"Austin","postalCode":"78701","countryCode":"US"}}: new orders (every field optional), ids returned.
     */
    private void createOrders(RoutingContext ctx) {
        Map<String, Object> request = body(ctx);
        int count = request.get("count") instanceof Number n ? n.intValue() : 1;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String digits = String.valueOf(orderNumbers.incrementAndGet());
            String orderId = digits.substring(0, 2) + "-" + digits.substring(2, 7) + "-" + digits.substring(7, 12);
            String buyer = String.valueOf(request.getOrDefault("buyer", "buyer_" + orderId.replace("-", "")));
            List<Map<String, Object>> lines = new ArrayList<>();
            BigDecimal subtotal = BigDecimal.ZERO;
            int n = 0;
            for (Object o : (List<?>) request.getOrDefault("lines", List.of(Map.of("sku", "UNKNOWN", "quantity", 1, "price", "1.00")))) {
                Map<?, ?> line = (Map<?, ?>) o;
                int quantity = line.get("quantity") instanceof Number q ? q.intValue() : 1;
                BigDecimal unit = new BigDecimal(line.get("price") == null ? "10.00" : String.valueOf(line.get("price")));
                Map<String, Object> item = new HashMap<>(Map.of("lineItemId", orderId.replace("-", "") + (++n),
                        "legacyItemId", "11" + orderId.replace("-", ""), "sku", String.valueOf(line.get("sku")),
                        "title", "Item " + line.get("sku"), "quantity", quantity,
                        "lineItemCost", money(unit.multiply(BigDecimal.valueOf(quantity))), "lineItemFulfillmentStatus", "NOT_STARTED"));
                BigDecimal paid = unit.multiply(BigDecimal.valueOf(quantity));
                if (line.get("discountedPrice") != null) { // a promotion: eBay adds the discounted extended cost
                    paid = new BigDecimal(String.valueOf(line.get("discountedPrice"))).multiply(BigDecimal.valueOf(quantity));
                    item.put("discountedLineItemCost", money(paid));
                }
                if (line.get("collectedTax") != null) { // tax eBay collects and remits itself
                    item.put("ebayCollectAndRemitTaxes", List.of(Map.of("amount", money(new BigDecimal(String.valueOf(line.get("collectedTax")))),
                            "taxType", "STATE_SALES_TAX", "collectionMethod", "NET")));
                }
                subtotal = subtotal.add(paid);
                lines.add(item);
            }
            Map<String, Object> address = new HashMap<>(Map.of("addressLine1", request.getOrDefault("street", "1 Sandbox Way"),
                    "city", request.getOrDefault("city", "San Jose"), "stateOrProvince", "CA",
                    "postalCode", request.getOrDefault("postalCode", "95125"), "countryCode", request.getOrDefault("countryCode", "US")));
            Map<String, Object> shipTo = new HashMap<>(Map.of("fullName", request.getOrDefault("fullName", "Buyer " + buyer),
                    "contactAddress", address, "primaryPhone", Map.of("phoneNumber", request.getOrDefault("phone", "4085550100"))));
            if (request.containsKey("email")) {
                shipTo.put("email", request.get("email"));
            }
            Map<String, Object> order = new HashMap<>();
            order.put("orderId", orderId);
            order.put("creationDate", tick());
            order.put("lastModifiedDate", order.get("creationDate"));
            order.put("orderFulfillmentStatus", "NOT_STARTED");
            order.put("orderPaymentStatus", Boolean.FALSE.equals(request.get("paid")) ? "PENDING" : "PAID");
            order.put("cancelStatus", Map.of("cancelState", "NONE_REQUESTED"));
            order.put("buyer", Map.of("username", buyer));
            BigDecimal delivery = new BigDecimal(String.valueOf(request.getOrDefault("deliveryCost", "0.00")));
            BigDecimal deliveryDiscount = new BigDecimal(String.valueOf(request.getOrDefault("deliveryDiscount", "0.00")));
            Map<String, Object> pricing = new HashMap<>(Map.of("priceSubtotal", money(subtotal), "deliveryCost", money(delivery),
                    "total", money(subtotal.add(delivery).subtract(deliveryDiscount))));
            if (deliveryDiscount.signum() > 0) { // eBay states discounts as negative amounts
                pricing.put("deliveryDiscount", money(deliveryDiscount.negate()));
            }
            order.put("pricingSummary", pricing);
            order.put("fulfillmentStartInstructions", List.of(Map.of("shippingStep", Map.of("shipTo", shipTo))));
            order.put("lineItems", lines);
            orders.put(orderId, order);
            ids.add(orderId);
        }
        send(ctx.response(), 200, Map.of("orderIds", ids));
    }

    /** {@code {"orderPaymentStatus":"PAID"}}, {@code {"cancelState":"CANCELED"}}, {@code {"email":null}}: a change on eBay. */
    private void updateOrder(RoutingContext ctx) {
        Map<String, Object> order = orders.get(ctx.pathParam("orderId"));
        if (order == null) {
            send(ctx.response(), 404, Map.of("errors", List.of(Map.of("errorId", 32100, "message", "Order not found"))));
            return;
        }
        Map<String, Object> change = body(ctx);
        synchronized (order) {
            if (change.containsKey("orderPaymentStatus")) {
                order.put("orderPaymentStatus", change.get("orderPaymentStatus"));
            }
            if (change.containsKey("cancelState")) {
                order.put("cancelStatus", Map.of("cancelState", change.get("cancelState")));
            }
            order.put("lastModifiedDate", tick());
        }
        send(ctx.response(), 200, order);
    }

    /** A simulated order, changed in place under its own lock (see {@link SandboxEbayFulfillment}); null when unknown. */
    Map<String, Object> order(String orderId) {
        return orders.get(orderId);
    }

    /** Strictly increasing eBay-style timestamps (milliseconds, Z). */
    String tick() {
        long now = clock.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(now));
    }

    /** eBay's REST error envelope for a fault: 429 is errorId 2001 (domain ACCESS) unless told otherwise. */
    static Map<String, Object> error(Map<String, Object> fault) {
        int status = fault.get("status") instanceof Number n ? n.intValue() : 500;
        Object errorId = fault.getOrDefault("errorId", status == 429 ? 2001 : status == 401 ? 1001 : 10001);
        String message = String.valueOf(fault.getOrDefault("message", switch (status) {
            case 429 -> "The request limit has been reached for the resource.";
            case 401 -> "Invalid access token";
            default -> "There was a problem with an eBay internal system or process.";
        }));
        return Map.of("errors", List.of(Map.of("errorId", errorId, "domain", status == 429 ? "ACCESS" : "API",
                "category", status >= 500 ? "APPLICATION" : "REQUEST", "message", message)));
    }

    private static Map<String, Object> money(BigDecimal amount) {
        return Map.of("value", amount.setScale(2, RoundingMode.HALF_UP).toPlainString(), "currency", "USD");
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String value = ctx.request().getParam(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Map<String, Object> body(RoutingContext ctx) {
        return SandboxHttp.readObject(json, ctx);
    }

    /** {@code {"ttlSeconds":5}}, {@code {"revokeRefreshToken":true}}, {@code {"expireIssuedTokens":true}}. */
    private void control(RoutingContext ctx) {
        Map<String, Object> body;
        try {
            body = body(ctx);
        } catch (IllegalArgumentException e) {
            send(ctx.response(), 400, Map.of("error", e.getMessage()));
            return;
        }
        if (body.get("ttlSeconds") instanceof Number n) {
            ttlSeconds = n.longValue();
        }
        if (Boolean.TRUE.equals(body.get("revokeRefreshToken"))) {
            revokedRefreshTokens.addAll(refreshTokens); // the seller revoked the application: every token so far stops working
        } else if (body.containsKey("revokeRefreshToken")) {
            revokedRefreshTokens.clear();
        }
        if (Boolean.TRUE.equals(body.get("expireIssuedTokens"))) {
            tokens.replaceAll((token, expiry) -> Instant.EPOCH);
        }
        send(ctx.response(), 200, authStats());
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }
}

package io.marketbridge.sandbox.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxFaults;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The simulated Cartona supplier-integrations API at {@code /sandbox/cartona/api/v1/}, as
 * shared/docs/protocols/cartona.md describes it: the {@code AuthorizationToken} header with the supplier's token
 * ({@code Authorization}, bare or Bearer, is taken too: some integrations send that), {@code POST
 * supplier-product/bulk-update} with a JSON array of at most 100 products, and {@code GET supplier-product?page=&per_page=}.
 * <p>
 * Cartona documents no answer bodies; the simulator's are the reading {@code CartonaBulkUpdateAnswer} assumes
 * (UNCONFIRMED): 200 {@code {"message","updated_count","failed":[{"index","internal_product_id","message"}]}}, a
 * malformed entry failing alone; more than 100 entries is a 422 in plain text; other errors are {@code {"message"}}.
 * <p>
 * A bulk-update only updates products the supplier's Cartona catalog already holds: an unknown
 * {@code internal_product_id} fails alone ({@code "product not found"} in {@code failed}), the others of the batch are
 * applied. (UNCONFIRMED: real Cartona may as well create it, or ignore it silently; its module reads no answer.)
 * Products come into the catalog by {@code POST /sandbox/cartona/_products} (onboarding, as the supplier does in
 * Cartona's portal or through Cartona's own Odoo module), or by any bulk-update when {@code createUnknown} is set
 * ({@code marketbridge.sandbox.cartona.create-unknown}, the demo's default, or the rule below).
 * <p>
 * Controls: {@code /sandbox/cartona/_faults} (see {@link SandboxFaults}), {@code POST /sandbox/cartona/_rules}
 * {@code {"reject":{"SKU-1":"product is archived"},"drop":["SKU-2"],"createUnknown":true,"token":"rotated"}}
 * (merged; {@code drop}: answered as updated but not applied; {@code token}: the supplier regenerated its token),
 * {@code DELETE /sandbox/cartona/_rules}, {@code GET /sandbox/cartona/_stats}, {@code GET /sandbox/cartona/_products/{id}},
 * {@code POST /sandbox/cartona/_products} {@code ["<internal_product_id>", ...]} (onboards them, unpriced and out of
 * stock, where not held yet), {@code GET /sandbox/cartona/_last-bulk-update} (the last accepted request body, verbatim),
 * and {@code DELETE /sandbox/cartona/_products} (a fresh supplier account: products, rules and counters).
 */
@Singleton
public class SandboxCartona {

    /** The sandbox supplier's token (marketbridge.cartona.token in dev, test and demo). */
    public static final String TOKEN = "sandbox-cartona-token";
    static final String BASE = "/sandbox/cartona";
    static final String API = BASE + "/api/v1";
    static final int MAX_BULK_UPDATE = 100;
    private static final int MAX_PER_PAGE = 100;
    private static final Pattern PRICE = Pattern.compile("\\d{1,13}(\\.\\d{1,2})?");
    private static final Logger LOG = Logger.getLogger(SandboxCartona.class);

    private final ObjectMapper json;
    private final SupplierProducts products = new SupplierProducts();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder itemsReceived = new LongAdder();
    private final LongAdder itemsApplied = new LongAdder();
    private final LongAdder itemsFailed = new LongAdder();
    private final LongAdder itemsDropped = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final Map<String, String> rejections = new ConcurrentHashMap<>();
    private final Set<String> drops = ConcurrentHashMap.newKeySet();
    private volatile boolean createUnknownByDefault;
    private volatile boolean createUnknown;
    private volatile String token = TOKEN;
    /** The last bulk-update body exactly as received, so tests can check the wire format. */
    private volatile String lastBulkUpdate = "null";

    SandboxCartona(ObjectMapper json) {
        this.json = json;
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        createUnknownByDefault = sandbox.cartona().createUnknown();
        createUnknown = createUnknownByDefault;
        // counted before the fault filter, so a call answered with a fault counts too
        router.route(API + "/*").order(-2000).handler(this::count);
        SandboxFaults.mount(router, json, BASE, SandboxCartona::error);
        router.post(API + "/supplier-product/bulk-update").handler(BodyHandler.create()).handler(ctx -> {
            if (authorized(ctx)) {
                bulkUpdate(ctx);
            }
        });
        router.get(API + "/supplier-product").handler(ctx -> {
            if (authorized(ctx)) {
                list(ctx);
            }
        });
        router.post(BASE + "/_rules").handler(BodyHandler.create()).handler(this::rules);
        router.delete(BASE + "/_rules").handler(ctx -> {
            clearRules();
            send(ctx.response(), 200, rulesView());
        });
        router.get(BASE + "/_stats").handler(ctx -> send(ctx.response(), 200, stats()));
        router.get(BASE + "/_last-bulk-update").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(lastBulkUpdate));
        router.get(BASE + "/_products/:id").handler(ctx -> {
            Map<String, Object> product = products.get(ctx.pathParam("id"));
            send(ctx.response(), product == null ? 404 : 200,
                    product == null ? Map.of("message", "no supplier product " + ctx.pathParam("id")) : product);
        });
        router.post(BASE + "/_products").handler(BodyHandler.create()).handler(this::onboard);
        router.delete(BASE + "/_products").handler(ctx -> {
            products.clear();
            clearRules();
            calls.clear();
            lastBulkUpdate = "null";
            List.of(itemsReceived, itemsApplied, itemsFailed, itemsDropped, unauthorized).forEach(LongAdder::reset);
            send(ctx.response(), 200, stats());
        });
        LOG.infof("Sandbox Cartona serving %s (token '%s')", API, TOKEN);
    }

    private void count(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(API.length()).replaceAll("^/+", "");
        calls.computeIfAbsent(ctx.request().method().name() + " " + path, key -> new LongAdder()).increment();
        ctx.next();
    }

    /** The supplier's token in {@code AuthorizationToken}, or in {@code Authorization} bare or as Bearer; else 401. */
    private boolean authorized(RoutingContext ctx) {
        String presented = presentedToken(ctx);
        if (token.equals(presented) || SandboxCartonaOrders.NORTH_TOKEN.equals(presented)) { // one catalog for both sandbox accounts
            return true;
        }
        unauthorized.increment();
        send(ctx.response(), 401, Map.of("message", "Unauthenticated."));
        return false;
    }

    /** The token a call presents: in {@code AuthorizationToken}, or in {@code Authorization} bare or as Bearer; null without one. */
    static String presentedToken(RoutingContext ctx) {
        String presented = ctx.request().getHeader("AuthorizationToken");
        if (presented == null && ctx.request().getHeader("Authorization") != null) {
            presented = ctx.request().getHeader("Authorization").replaceFirst("^Bearer\\s+", "");
        }
        return presented;
    }

    private void bulkUpdate(RoutingContext ctx) {
        JsonNode entries;
        try {
            entries = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            send(ctx.response(), 400, Map.of("message", "malformed JSON: " + e.getMessage()));
            return;
        }
        if (entries == null || !entries.isArray()) {
            send(ctx.response(), 422, Map.of("message", "the body must be a JSON array of supplier products"));
            return;
        }
        if (entries.size() > MAX_BULK_UPDATE) {
            ctx.response().setStatusCode(422).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("You can update at most " + MAX_BULK_UPDATE + " products per request; this one has " + entries.size() + ".");
            return;
        }
        itemsReceived.add(entries.size());
        lastBulkUpdate = ctx.body().asString();
        List<Map<String, Object>> failed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String id = entry.path("internal_product_id").isValueNode() ? entry.get("internal_product_id").asText().trim() : "";
            String problem = id.isEmpty() ? "internal_product_id is required" : problem(entry);
            if (problem == null && rejections.containsKey(id)) {
                problem = rejections.get(id);
            }
            if (problem == null && drops.contains(id)) {
                itemsDropped.increment(); // answered as updated, never applied: what reconciliation must heal
                continue;
            }
            if (problem == null) {
                long cents = new BigDecimal(entry.get("selling_price").asText()).movePointRight(2).longValueExact();
                boolean unlimited = entry.path("is_unlimited_stock").asBoolean(false);
                int stock = entry.path("available_stock_quantity").asInt(0);
                if (!products.put(id, cents, stock, unlimited, createUnknown)) {
                    problem = "product not found";
                }
            }
            if (problem != null) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("index", i);
                failure.put("internal_product_id", id.isEmpty() ? null : id);
                failure.put("message", problem);
                failed.add(failure);
                itemsFailed.increment();
            } else {
                itemsApplied.increment();
            }
        }
        int updated = entries.size() - failed.size();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", failed.isEmpty() ? "Products updated successfully" : updated + " of " + entries.size() + " products updated");
        answer.put("updated_count", updated);
        answer.put("failed", failed);
        send(ctx.response(), 200, answer);
    }

    /** What is wrong with an entry's price and stock, or null. */
    private static String problem(JsonNode entry) {
        JsonNode price = entry.get("selling_price");
        if (price == null || !price.isTextual() || !PRICE.matcher(price.asText()).matches()) {
            return "selling_price must be a string amount with at most 2 decimals, like \"12.50\" (got " + price + ")";
        }
        JsonNode unlimited = entry.get("is_unlimited_stock");
        if (unlimited != null && !unlimited.isBoolean()) {
            return "is_unlimited_stock must be true or false (got " + unlimited + ")";
        }
        JsonNode stock = entry.get("available_stock_quantity");
        boolean unlimitedStock = unlimited != null && unlimited.asBoolean();
        if (stock == null ? !unlimitedStock : !stock.canConvertToInt() || !stock.isIntegralNumber() || stock.asInt() < 0) {
            return "available_stock_quantity must be a whole number, 0 or more (got " + stock + ")";
        }
        return null;
    }

    private void list(RoutingContext ctx) {
        Integer page = positive(ctx.request().getParam("page"), 1);
        Integer perPage = positive(ctx.request().getParam("per_page"), 10);
        if (page == null || perPage == null || perPage > MAX_PER_PAGE) {
            send(ctx.response(), 400, Map.of("message", "page must be 1 or more and per_page 1 to " + MAX_PER_PAGE));
            return;
        }
        ctx.response().putHeader("X-Total-Count", String.valueOf(products.size()));
        send(ctx.response(), 200, products.page(page, perPage));
    }

    /** The supplier puts products on Cartona: each id not held yet is added, unpriced and out of stock. */
    private void onboard(RoutingContext ctx) {
        JsonNode ids;
        try {
            ids = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            ids = null;
        }
        if (ids == null || !ids.isArray()) {
            send(ctx.response(), 400, Map.of("error", "expected a JSON array of internal_product_id values"));
            return;
        }
        int added = 0;
        for (JsonNode id : ids) {
            String key = id.asText().trim();
            if (!key.isEmpty() && products.get(key) == null && products.put(key, -1, 0, false, true)) {
                added++;
            }
        }
        send(ctx.response(), 200, Map.of("onboarded", added, "products", products.size()));
    }

    private static Integer positive(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            return number >= 1 ? number : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void rules(RoutingContext ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            send(ctx.response(), 400, Map.of("error", "bad JSON: " + e.getMessage()));
            return;
        }
        if (body == null || !body.isObject()
                || body.has("reject") && !body.get("reject").isObject()
                || body.has("drop") && !body.get("drop").isArray()
                || body.has("createUnknown") && !body.get("createUnknown").isBoolean()
                || body.has("token") && !body.get("token").isTextual()) {
            send(ctx.response(), 400, Map.of("error", "expected {\"reject\":{\"<internal_product_id>\":\"<message>\"},"
                    + "\"drop\":[\"<internal_product_id>\"],\"createUnknown\":true,\"token\":\"<token>\"}"));
            return;
        }
        body.path("reject").properties().forEach(rule -> rejections.put(rule.getKey(), rule.getValue().asText()));
        body.path("drop").forEach(id -> drops.add(id.asText()));
        if (body.has("createUnknown")) {
            createUnknown = body.get("createUnknown").asBoolean();
        }
        if (body.has("token")) {
            token = body.get("token").asText();
        }
        send(ctx.response(), 200, rulesView());
    }

    private void clearRules() {
        rejections.clear();
        drops.clear();
        createUnknown = createUnknownByDefault;
        token = TOKEN;
    }

    private Map<String, Object> rulesView() {
        return Map.of("reject", new TreeMap<>(rejections), "drop", new ArrayList<>(drops), "createUnknown", createUnknown,
                "tokenRotated", !TOKEN.equals(token));
    }

    private Map<String, Object> stats() {
        Map<String, Long> byEndpoint = new TreeMap<>();
        calls.forEach((endpoint, count) -> byEndpoint.put(endpoint, count.sum()));
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("calls", byEndpoint);
        stats.put("itemsReceived", itemsReceived.sum());
        stats.put("itemsApplied", itemsApplied.sum());
        stats.put("itemsFailed", itemsFailed.sum());
        stats.put("itemsDropped", itemsDropped.sum());
        stats.put("unauthorized", unauthorized.sum());
        stats.put("products", products.size());
        return stats;
    }

    /** Cartona's error shape for a fault: {@code {"message": ...}}. */
    static Map<String, Object> error(Map<String, Object> fault) {
        int status = fault.get("status") instanceof Number n ? n.intValue() : 500;
        return Map.of("message", String.valueOf(fault.getOrDefault("message", switch (status) {
            case 429 -> "Too Many Attempts.";
            case 401 -> "Unauthenticated.";
            case 503 -> "Service Unavailable";
            default -> "Server Error";
        })));
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }
}

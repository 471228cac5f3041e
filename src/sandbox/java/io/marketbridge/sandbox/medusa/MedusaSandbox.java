package io.marketbridge.sandbox.medusa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxFaults;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The simulated Medusa v2 Admin API at {@code /sandbox/medusa} (protocols/medusa.md), only when the sandbox is on:
 * products (list, by id, batch, update by id: {@code options} there refused as Medusa 2.16+ does), a product's
 * options and variants in batch, product variants and inventory items by SKU, location levels in batch and stock
 * locations ({@code sloc_sandbox} exists), and orders ({@link SimulatedMedusaOrders}: {@code GET /admin/orders} by
 * {@code updated_at}, {@code GET /admin/orders/{id}}, metadata by {@code POST /admin/orders/{id}}, {@code POST
 * /admin/orders/{id}/cancel}, fulfillments and their shipments with labels), and the default shipping profile
 * ({@code sp_sandbox_default}) a product may be given. Calls need the sandbox secret key as HTTP Basic user name, else 401
 * {@code {"message":"Unauthorized"}}; an unknown route answers Express' HTML 404.
 * <p>
 * Controls (never subject to faults): {@code POST /_faults} (see {@link SandboxFaults}; a 401 fault answers
 * Medusa's bare {@code {"message":"Unauthorized"}}), {@code POST /_skus/{sku}} with
 * {@code {"reject":{"message":..,"times":1}}} (products carrying the SKU are refused with 400 invalid_data, or
 * {@code null} to stop) and {@code {"silentDrop":true}} (its price and quantity changes are answered as done but
 * not applied), {@code POST /_orders} (places an order, as a shopper's checkout would leave it), {@code POST
 * /_orders/{id}/payment {"payment_status":"captured"}} (the payment provider's move), {@code POST /_auth {"revoked":true}} (the secret key is revoked), {@code GET /_stats} (calls per
 * endpoint, reads, writes, records) and {@code DELETE /_products} (empties the store, its orders and the counters).
 */
@Singleton
public class MedusaSandbox {

    public static final String SECRET_KEY = "sk_sandbox_marketbridge_medusa";
    static final String BASE = "/sandbox/medusa";
    private static final int DEFAULT_LIMIT = 50;

    private final ObjectMapper json;
    private final SimulatedMedusa store = new SimulatedMedusa();
    private final SimulatedMedusaOrders orders = new SimulatedMedusaOrders(store);
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private volatile boolean keyRevoked;

    MedusaSandbox(ObjectMapper json) {
        this.json = json;
    }

    void mount(@Observes Router main, SandboxSettings sandbox, Vertx vertx) {
        if (!sandbox.enabled()) {
            return;
        }
        SandboxFaults.mount(main, json, BASE, MedusaSandbox::faultBody);
        // a router of its own, after the fault filter, so an unknown route is Medusa's 404 and nobody else's
        Router router = Router.router(vertx);
        main.route(BASE + "/*").order(-999).subRouter(router);
        router.get("/_stats").handler(ctx -> send(ctx, 200, stats()));
        router.delete("/_products").handler(ctx -> {
            reset();
            send(ctx, 200, Map.of("cleared", true));
        });
        router.post("/_skus/:sku").handler(BodyHandler.create()).handler(this::skuRule);
        router.post("/_orders").handler(BodyHandler.create()).handler(ctx -> control(ctx, () -> orders.place(body(ctx), System.currentTimeMillis())));
        router.post("/_orders/:id/payment").handler(BodyHandler.create()).handler(ctx -> control(ctx,
                () -> orders.pay(ctx.pathParam("id"), String.valueOf(body(ctx).get("payment_status")), System.currentTimeMillis())));
        router.post("/_auth").handler(BodyHandler.create()).handler(ctx -> {
            keyRevoked = Boolean.TRUE.equals(body(ctx).get("revoked"));
            send(ctx, 200, Map.of("revoked", keyRevoked));
        });

        api(router, HttpMethod.GET, "/admin/products", this::listProducts);
        api(router, HttpMethod.GET, "/admin/products/:id", ctx -> {
            SimulatedMedusa.Product product = store.products.get(ctx.pathParam("id"));
            if (product == null) {
                throw SimulatedMedusa.MedusaError.notFound("Product with id: " + ctx.pathParam("id") + " was not found");
            }
            return Map.of("product", store.product(product));
        });
        api(router, HttpMethod.POST, "/admin/products/batch", ctx -> store.batchProducts(body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/products/:id", ctx -> store.updateProduct(ctx.pathParam("id"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/products/:id/options/batch",
                ctx -> store.batchOptions(ctx.pathParam("id"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/products/:id/variants/batch",
                ctx -> store.batchVariants(ctx.pathParam("id"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.GET, "/admin/orders", ctx -> {
            String fields = ctx.queryParams().get("fields");
            Map<String, List<String>> query = new LinkedHashMap<>();
            ctx.queryParams().names().forEach(name -> query.put(name, ctx.queryParams().getAll(name)));
            return page(ctx, "orders", orders.list(query), order -> orders.show(order, fields));
        });
        api(router, HttpMethod.GET, "/admin/orders/:id",
                ctx -> Map.of("order", orders.show(orders.get(ctx.pathParam("id")), ctx.queryParams().get("fields"))));
        api(router, HttpMethod.POST, "/admin/orders/:id", ctx -> orders.update(ctx.pathParam("id"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/orders/:id/cancel", ctx -> orders.cancel(ctx.pathParam("id"), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/orders/:id/fulfillments", ctx -> orders.fulfil(ctx.pathParam("id"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.POST, "/admin/orders/:id/fulfillments/:fulfillment/shipments",
                ctx -> orders.ship(ctx.pathParam("id"), ctx.pathParam("fulfillment"), body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.GET, "/admin/shipping-profiles", ctx -> {
            List<String> types = values(ctx, "type");
            List<Map<String, Object>> profiles = types.isEmpty() || types.contains("default")
                    ? List.of(Map.of("id", SimulatedMedusa.DEFAULT_SHIPPING_PROFILE, "name", "Default Shipping Profile", "type", "default"))
                    : List.of();
            return page(ctx, "shipping_profiles", profiles, profile -> profile);
        });
        api(router, HttpMethod.GET, "/admin/product-variants", this::listVariants);
        api(router, HttpMethod.GET, "/admin/inventory-items", this::listInventoryItems);
        api(router, HttpMethod.POST, "/admin/inventory-items/location-levels/batch",
                ctx -> store.batchLevels(body(ctx), System.currentTimeMillis()));
        api(router, HttpMethod.GET, "/admin/stock-locations/:id", ctx -> {
            SimulatedMedusa.Location location = store.locations.get(ctx.pathParam("id"));
            if (location == null) {
                throw SimulatedMedusa.MedusaError.notFound("Stock location with id: " + ctx.pathParam("id") + " was not found");
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", location.id());
            answer.put("name", location.name());
            answer.put("address_id", null);
            answer.put("metadata", null);
            return Map.of("stock_location", answer);
        });
        router.route("/*").handler(ctx -> ctx.response().setStatusCode(404)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot "
                        + ctx.request().method().name() + " " + ctx.normalizedPath().substring(BASE.length()) + "</pre>\n</body>\n</html>\n"));
    }

    /** An Admin API endpoint: the secret key first, then counted, then answered under the store's lock. */
    private void api(Router router, HttpMethod method, String path, Function<RoutingContext, Object> handler) {
        var route = router.route(method, path);
        if (method == HttpMethod.POST) {
            route.handler(BodyHandler.create());
        }
        String endpoint = method.name() + " " + path.replace(":id", "{id}").replace(":fulfillment", "{fulfillment_id}");
        route.handler(ctx -> {
            if (!authorized(ctx)) {
                send(ctx, 401, Map.of("message", "Unauthorized")); // Medusa 2.21's answer to a missing or refused key: no type
                return;
            }
            calls.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
            (method == HttpMethod.GET ? reads : writes).increment();
            Object answer;
            try {
                synchronized (store) {
                    answer = handler.apply(ctx);
                }
            } catch (SimulatedMedusa.MedusaError e) {
                send(ctx, e.status, e.body());
                return;
            } catch (IllegalArgumentException e) { // unreadable JSON or query
                send(ctx, 400, Map.of("type", "invalid_data", "message", e.getMessage()));
                return;
            }
            send(ctx, 200, answer);
        });
    }

    private boolean authorized(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (keyRevoked || header == null || !header.startsWith("Basic ")) {
            return false;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            return credentials.equals(SECRET_KEY + ":");
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    // --- lists ---------------------------------------------------------------------------------

    private Object listProducts(RoutingContext ctx) {
        List<String> externalIds = values(ctx, "external_id");
        Set<String> ids = Set.copyOf(values(ctx, "id"));
        Collection<SimulatedMedusa.Product> candidates = externalIds.isEmpty() ? store.products.values()
                : store.productsWithExternalIds(externalIds);
        List<SimulatedMedusa.Product> matching = candidates.stream().filter(p -> ids.isEmpty() || ids.contains(p.id)).toList();
        return page(ctx, "products", matching, store::product);
    }

    private Object listVariants(RoutingContext ctx) {
        List<String> skus = values(ctx, "sku");
        Set<String> ids = Set.copyOf(values(ctx, "id"));
        Stream<SimulatedMedusa.Variant> candidates = skus.isEmpty() ? store.products.values().stream().flatMap(p -> p.variants.stream())
                : skus.stream().map(store.variantsBySku::get).filter(v -> v != null);
        List<SimulatedMedusa.Variant> matching = candidates.filter(v -> ids.isEmpty() || ids.contains(v.id)).toList();
        return page(ctx, "variants", matching, variant -> {
            Map<String, Object> answer = store.variant(variant);
            answer.put("product", Map.of("id", variant.product.id, "title", variant.product.title,
                    "external_id", variant.product.externalId == null ? "" : variant.product.externalId));
            return answer;
        });
    }

    private Object listInventoryItems(RoutingContext ctx) {
        List<String> skus = values(ctx, "sku");
        Set<String> ids = Set.copyOf(values(ctx, "id"));
        Collection<SimulatedMedusa.InventoryItem> candidates = skus.isEmpty() ? store.inventoryById.values()
                : skus.stream().map(store.inventoryBySku::get).filter(i -> i != null).distinct().toList();
        List<SimulatedMedusa.InventoryItem> matching = candidates.stream().filter(i -> ids.isEmpty() || ids.contains(i.id)).toList();
        return page(ctx, "inventory_items", matching, store::inventoryItem);
    }

    /** Medusa's list answer: {@code {<name>: [...], count, offset, limit}} (limit 50 by default). */
    private static <T> Map<String, Object> page(RoutingContext ctx, String name, List<T> matching, Function<T, Map<String, Object>> shown) {
        int limit = number(ctx, "limit", DEFAULT_LIMIT);
        int offset = number(ctx, "offset", 0);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
            page.add(shown.apply(matching.get(i)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(name, page);
        answer.put("count", matching.size());
        answer.put("offset", offset);
        answer.put("limit", limit);
        return answer;
    }

    /** A filter's values: {@code sku=a}, {@code sku=a&sku=b} or {@code sku[]=a&sku[]=b}, as Medusa's query parser takes them. */
    private static List<String> values(RoutingContext ctx, String name) {
        List<String> values = new ArrayList<>(ctx.queryParam(name));
        values.addAll(ctx.queryParam(name + "[]"));
        return values;
    }

    private static int number(RoutingContext ctx, String name, int fallback) {
        List<String> given = ctx.queryParam(name);
        if (given.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(given.get(0));
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw SimulatedMedusa.MedusaError.invalid("Invalid request: Expected type: 'number' for field '" + name + "', got: '" + given.get(0) + "'");
    }

    // --- controls ------------------------------------------------------------------------------

    private void skuRule(RoutingContext ctx) {
        String sku = ctx.pathParam("sku");
        Map<String, Object> rule;
        try {
            rule = body(ctx);
        } catch (IllegalArgumentException e) {
            send(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        synchronized (store) {
            if (rule.containsKey("reject")) {
                if (rule.get("reject") instanceof Map<?, ?> reject) {
                    String message = reject.get("message") != null ? String.valueOf(reject.get("message"))
                            : "Product variant with sku: " + sku + " was refused by the store";
                    int times = reject.get("times") instanceof Number n ? n.intValue() : -1;
                    store.rejections.put(sku, new SimulatedMedusa.Rejection(message, times));
                } else {
                    store.rejections.remove(sku);
                }
            }
            if (rule.containsKey("silentDrop")) {
                if (Boolean.TRUE.equals(rule.get("silentDrop"))) {
                    store.silentDrops.add(sku);
                } else {
                    store.silentDrops.remove(sku);
                }
            }
            SimulatedMedusa.Rejection rejection = store.rejections.get(sku);
            state.put("sku", sku);
            state.put("reject", rejection == null ? null : Map.of("message", rejection.message(), "times", rejection.times()));
            state.put("silentDrop", store.silentDrops.contains(sku));
        }
        send(ctx, 200, state);
    }

    /** A sandbox control acting on the store: answered 200, or the store's refusal as Medusa words it. */
    private void control(RoutingContext ctx, Supplier<Object> action) {
        Object answer;
        try {
            synchronized (store) {
                answer = action.get();
            }
        } catch (SimulatedMedusa.MedusaError e) {
            send(ctx, e.status, e.body());
            return;
        } catch (IllegalArgumentException | ClassCastException e) {
            send(ctx, 400, Map.of("type", "invalid_data", "message", String.valueOf(e.getMessage())));
            return;
        }
        send(ctx, 200, answer);
    }

    private Map<String, Object> stats() {
        Map<String, Long> byEndpoint = new TreeMap<>();
        calls.forEach((endpoint, count) -> byEndpoint.put(endpoint, count.sum()));
        Map<String, Object> stats = new LinkedHashMap<>();
        synchronized (store) {
            stats.put("products", store.products.size());
            stats.put("variants", store.variantCount());
            stats.put("inventoryItems", store.inventoryById.size());
            stats.put("dropped", store.dropped);
            stats.put("orders", orders.orders.size());
        }
        stats.put("reads", reads.sum());
        stats.put("writes", writes.sum());
        stats.put("calls", byEndpoint);
        return stats;
    }

    private void reset() {
        synchronized (store) {
            store.clear();
            orders.clear();
        }
        calls.clear();
        reads.reset();
        writes.reset();
        keyRevoked = false;
    }

    /** Medusa's error for an armed fault: a 401 as its bare {@code {"message":"Unauthorized"}}, else {@code {type, message}}. */
    private static Object faultBody(Map<String, Object> spec) {
        int status = spec.get("status") instanceof Number n ? n.intValue() : 500;
        if (status == 401) {
            return Map.of("message", String.valueOf(spec.getOrDefault("message", "Unauthorized")));
        }
        String type = spec.get("type") != null ? String.valueOf(spec.get("type")) : switch (status) {
            case 400 -> "invalid_data";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 429 -> "not_allowed";
            default -> status >= 500 ? "unknown_error" : "invalid_data";
        };
        String message = spec.get("message") != null ? String.valueOf(spec.get("message"))
                : status >= 500 ? "An unknown error occurred." : status == 429 ? "Too many requests" : "Invalid request";
        return Map.of("type", type, "message", message);
    }

    private Map<String, Object> body(RoutingContext ctx) {
        return SandboxHttp.readObject(json, ctx);
    }

    private void send(RoutingContext ctx, int status, Object body) {
        SandboxHttp.reply(json, ctx.response(), status, body);
    }
}

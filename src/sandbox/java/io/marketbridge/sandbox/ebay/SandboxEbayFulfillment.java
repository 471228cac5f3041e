package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shipping fulfilments on the simulated eBay's orders (Sell Fulfillment API): read and created by
 * the seller's application with a valid token, and marked by the seller on eBay itself through
 * {@code POST /sandbox/ebay/_orders/{orderId}/ship}. A fulfilment moves its lines and the order to
 * FULFILLED (IN_PROGRESS while lines remain) and the order's lastModifiedDate; a line item twice in
 * one request answers 400 / errorId 32210 ("Duplicate line item in the request", per eBay's
 * Fulfillment contract); a line fulfilled already answers 409 Conflict, which the contract lists
 * without a code; a tracking number that is not alphanumeric answers 400.
 * Calls are counted at {@code /sandbox/ebay/_fulfillment/stats} (fulfilment reads also per order),
 * with every fulfilment the service created as it was received.
 */
@Singleton
public class SandboxEbayFulfillment {

    private static final String ORDER = "/sandbox/ebay/sell/fulfillment/v1/order/:orderId/shipping_fulfillment";

    private final SandboxEbayApi api;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Map<String, List<Map<String, Object>>> fulfillments = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> readsByOrder = new ConcurrentHashMap<>();
    /** Every shipping_fulfillment POST as received, for tests to check what the service sent. */
    private final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

    SandboxEbayFulfillment(SandboxEbayApi api, ObjectMapper json, SandboxSettings sandbox) {
        this.api = api;
        this.json = json;
        this.baseUrl = sandbox.url().orElse("") + "/ebay";
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        router.get(ORDER).handler(ctx -> {
            if (api.authorized(ctx)) {
                count("getShippingFulfillments");
                readsByOrder.computeIfAbsent(ctx.pathParam("orderId"), id -> new AtomicInteger()).incrementAndGet();
                list(ctx);
            }
        });
        router.post(ORDER).handler(BodyHandler.create()).handler(ctx -> {
            if (api.authorized(ctx)) {
                count("createShippingFulfillment");
                create(ctx);
            }
        });
        router.post("/sandbox/ebay/_orders/:orderId/ship").handler(BodyHandler.create()).handler(this::shipOnEbay);
        router.get("/sandbox/ebay/_fulfillment/stats").handler(ctx -> {
            send(ctx, 200, Map.of("calls", counts(calls), "readsByOrder", counts(readsByOrder), "received", received));
        });
    }

    /** {@code GET .../order/{orderId}/shipping_fulfillment}: {@code {total, fulfillments:[...]}}. */
    private void list(RoutingContext ctx) {
        Map<String, Object> order = api.order(ctx.pathParam("orderId"));
        if (order == null) {
            send(ctx, 404, orderNotFound());
            return;
        }
        List<Map<String, Object>> shipped = fulfillments.getOrDefault(ctx.pathParam("orderId"), List.of());
        send(ctx, 200, Map.of("total", shipped.size(), "fulfillments", shipped));
    }

    /**
     * {@code POST .../order/{orderId}/shipping_fulfillment}
     * {@code {"lineItems":[{"lineItemId","quantity"}],"shippedDate","shippingCarrierCode","trackingNumber"}}.
     */
    private void create(RoutingContext ctx) {
        Map<String, Object> request;
        try {
            request = SandboxHttp.readObject(json, ctx);
        } catch (IllegalArgumentException e) {
            send(ctx, 400, error(32600, "Invalid input data: " + e.getMessage()));
            return;
        }
        received.add(request);
        String tracking = String.valueOf(request.getOrDefault("trackingNumber", ""));
        if (!tracking.matches("[A-Za-z0-9]+")) {
            send(ctx, 400, error(32300, "Invalid shipment tracking number '" + tracking + "': only alphanumeric characters are allowed"));
            return;
        }
        if (!(request.get("shippingCarrierCode") instanceof String carrier) || carrier.isBlank()) {
            send(ctx, 400, error(32300, "Invalid shipment tracking number or carrier: shippingCarrierCode is required"));
            return;
        }
        if (!(request.get("lineItems") instanceof List<?> lines) || lines.isEmpty()) {
            send(ctx, 400, error(32600, "Invalid input data: lineItems is required"));
            return;
        }
        String orderId = ctx.pathParam("orderId");
        ship(ctx, orderId, carrier, tracking, String.valueOf(request.getOrDefault("shippedDate", api.tick())), lines);
    }

    /** Test control: the seller marks the order shipped on eBay: {@code {"carrier":"USPS","tracking":"9400..."}}, all lines. */
    private void shipOnEbay(RoutingContext ctx) {
        Map<String, Object> request;
        try {
            request = SandboxHttp.readObject(json, ctx);
        } catch (IllegalArgumentException e) {
            send(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        Map<String, Object> order = api.order(ctx.pathParam("orderId"));
        if (order == null) {
            send(ctx, 404, orderNotFound());
            return;
        }
        List<Object> lines = new ArrayList<>();
        synchronized (order) {
            for (Object line : (List<?>) order.get("lineItems")) {
                Map<?, ?> item = (Map<?, ?>) line;
                lines.add(Map.of("lineItemId", item.get("lineItemId"), "quantity", item.get("quantity")));
            }
        }
        ship(ctx, ctx.pathParam("orderId"), String.valueOf(request.getOrDefault("carrier", "USPS")),
                String.valueOf(request.getOrDefault("tracking", "")), api.tick(), lines);
    }

    private void ship(RoutingContext ctx, String orderId, String carrier, String tracking, String shippedDate, List<?> lines) {
        Map<String, Object> order = api.order(orderId);
        if (order == null) {
            send(ctx, 404, orderNotFound());
            return;
        }
        synchronized (order) {
            Map<String, Map<String, Object>> items = new LinkedHashMap<>();
            for (Object line : (List<?>) order.get("lineItems")) {
                Map<String, Object> item = new LinkedHashMap<>();
                ((Map<?, ?>) line).forEach((k, v) -> item.put(String.valueOf(k), v));
                items.put(String.valueOf(item.get("lineItemId")), item);
            }
            List<Map<String, Object>> shippedLines = new ArrayList<>();
            Set<String> requestedIds = new HashSet<>();
            for (Object line : lines) {
                Map<?, ?> requested = line instanceof Map<?, ?> m ? m : Map.of();
                if (!requestedIds.add(String.valueOf(requested.get("lineItemId")))) {
                    send(ctx, 400, error(32210, "Duplicate line item in the request"));
                    return;
                }
            }
            for (Object line : lines) {
                Map<?, ?> requested = line instanceof Map<?, ?> m ? m : Map.of();
                Map<String, Object> item = items.get(String.valueOf(requested.get("lineItemId")));
                if (item == null) {
                    send(ctx, 400, error(32200, "Invalid line item id: " + requested.get("lineItemId")));
                    return;
                }
                if ("FULFILLED".equals(item.get("lineItemFulfillmentStatus"))) {
                    ctx.response().setStatusCode(409).end(); // the contract's 409 Conflict, without a body

                    return;
                }
                shippedLines.add(Map.of("lineItemId", item.get("lineItemId"),
                        "quantity", requested.get("quantity") instanceof Number n ? n.intValue() : item.get("quantity")));
            }
            shippedLines.forEach(l -> items.get(String.valueOf(l.get("lineItemId"))).put("lineItemFulfillmentStatus", "FULFILLED"));
            boolean all = items.values().stream().allMatch(i -> "FULFILLED".equals(i.get("lineItemFulfillmentStatus")));
            String fulfillmentId = tracking.isEmpty() ? UUID.randomUUID().toString() : tracking;
            Map<String, Object> fulfillment = new LinkedHashMap<>();
            fulfillment.put("fulfillmentId", fulfillmentId);
            fulfillment.put("shipmentTrackingNumber", tracking);
            fulfillment.put("shippingCarrierCode", carrier);
            fulfillment.put("shippedDate", shippedDate);
            fulfillment.put("lineItems", shippedLines);
            fulfillments.computeIfAbsent(orderId, id -> new CopyOnWriteArrayList<>()).add(fulfillment);
            order.put("lineItems", List.copyOf(items.values()));
            order.put("orderFulfillmentStatus", all ? "FULFILLED" : "IN_PROGRESS");
            order.put("lastModifiedDate", api.tick());
            String location = baseUrl + "/sell/fulfillment/v1/order/" + orderId + "/shipping_fulfillment/" + fulfillmentId;
            // the contract gives 201 a JSON object (eBay's docs: no payload): an empty one satisfies both
            ctx.response().setStatusCode(201).putHeader("Location", location).putHeader("Content-Type", "application/json").end("{}");
        }
    }

    private static Map<String, Object> error(int errorId, String message) {
        return Map.of("errors", List.of(Map.of("errorId", errorId, "domain", "API_FULFILLMENT", "category", "REQUEST",
                "message", message)));
    }

    private static Map<String, Object> orderNotFound() {
        return error(32100, "Order not found");
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> counters) {
        Map<String, Integer> counts = new HashMap<>();
        counters.forEach((key, n) -> counts.put(key, n.get()));
        return counts;
    }

    private void count(String call) {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    private void send(RoutingContext ctx, int status, Object body) {
        SandboxHttp.reply(json, ctx.response(), status, body);
    }
}

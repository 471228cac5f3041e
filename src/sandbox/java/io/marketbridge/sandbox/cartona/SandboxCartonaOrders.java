package io.marketbridge.sandbox.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order side of the simulated Cartona, as shared/docs/protocols/cartona.md describes it, for two supplier accounts
 * (tokens {@value SandboxCartona#TOKEN} and {@value #NORTH_TOKEN}; each sees only its own orders):
 * <ul>
 * <li>{@code GET order/pull-orders?page=&per_page=&from=&to=} answers a JSON array: the account's orders not yet
 * acknowledged with {@code synced} that were placed by {@code to}, and those changed within {@code [from, to]}.</li>
 * <li>{@code POST order/update-order-status/{hashed_id}} {@code {"hashed_id","status","cancellation_reason"?}}: the
 * statuses a supplier may send (synced, pending, approved, assigned_to_salesman, delivered, cancelled_by_supplier with one
 * of Cartona's reasons); anything else, a mismatched id or a change of a cancelled or delivered order is a 422;
 * an order of another account, a 404.</li>
 * <li>{@code POST order/update-order-details} {@code [{"hashed_id","order_details":[{"internal_product_id","amount"?,
 * "cancelled"?}]}]}: the supplier changes quantities of products on open orders (each change kept in
 * {@code details_history}).</li>
 * </ul>
 * UNCONFIRMED, as all of Cartona: the window semantics (placed or changed), the answer bodies, and that a change by
 * the retailer offers the order to the pull again. Controls: {@code POST /sandbox/cartona/_orders} places an order
 * ({@code {"supplier_code"?,"retailer":{...},"order_details":[{"internal_product_id","amount","selling_price"}],
 * "delivery_day"?}}; answers it with its {@code hashed_id}), {@code GET /sandbox/cartona/_orders/{id}} (the order with
 * {@code synced} and every status sent, in {@code status_history}), {@code POST /sandbox/cartona/_orders/{id}/status}
 * {@code {"status":"cancelled_by_retailer"}} (the retailer's side), {@code POST /sandbox/cartona/_orders/{id}/details}
 * {@code {"order_details":[...]}} (the retailer edits the lines), {@code DELETE /sandbox/cartona/_orders}.
 */
@Singleton
public class SandboxCartonaOrders {

    /** The second sandbox supplier account's token (marketbridge.cartona.accounts.north.token in dev, test and demo). */
    public static final String NORTH_TOKEN = "sandbox-cartona-token-north";
    static final String MAIN_SUPPLIER = "SUP-MAIN";
    private static final Map<String, String> SUPPLIER_BY_TOKEN = Map.of(SandboxCartona.TOKEN, MAIN_SUPPLIER, NORTH_TOKEN, "SUP-NORTH");
    private static final Set<String> SUPPLIER_STATUSES = Set.of("synced", "pending", "approved", "assigned_to_salesman", "delivered",
            "cancelled_by_supplier");
    private static final Set<String> CANCELLATION_REASONS = Set.of("out_of_stock", "cannot_deliver_the_order", "removed_items",
            "supplier_asked_me_to_cancel");
    private static final Set<String> FINAL = Set.of("delivered", "cancelled_by_supplier", "cancelled_by_retailer", "returned");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();

    /** An order as Cartona holds it: what the pull shows, plus what only Cartona knows. */
    private static final class Order {
        final ObjectNode view;
        final String supplierCode;
        final Instant placedAt;
        volatile Instant changedAt;
        volatile boolean synced;
        final List<Map<String, Object>> statusHistory = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Object> detailsHistory = new java.util.concurrent.CopyOnWriteArrayList<>();

        Order(ObjectNode view, String supplierCode, Instant placedAt) {
            this.view = view;
            this.supplierCode = supplierCode;
            this.placedAt = placedAt;
            this.changedAt = placedAt;
        }
    }

    SandboxCartonaOrders(ObjectMapper json) {
        this.json = json;
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        router.get(SandboxCartona.API + "/order/pull-orders").handler(ctx -> {
            String supplier = supplier(ctx);
            if (supplier != null) {
                pull(ctx, supplier);
            }
        });
        router.post(SandboxCartona.API + "/order/update-order-status/:id").handler(BodyHandler.create()).handler(ctx -> {
            String supplier = supplier(ctx);
            if (supplier != null) {
                updateStatus(ctx, supplier);
            }
        });
        router.post(SandboxCartona.API + "/order/update-order-details").handler(BodyHandler.create()).handler(ctx -> {
            String supplier = supplier(ctx);
            if (supplier != null) {
                updateDetails(ctx, supplier);
            }
        });
        router.post(SandboxCartona.BASE + "/_orders").handler(BodyHandler.create()).handler(this::place);
        router.get(SandboxCartona.BASE + "/_orders/:id").handler(ctx -> {
            Order order = orders.get(ctx.pathParam("id"));
            send(ctx, order == null ? 404 : 200, order == null ? Map.of("message", "no order " + ctx.pathParam("id")) : inspect(order));
        });
        router.post(SandboxCartona.BASE + "/_orders/:id/status").handler(BodyHandler.create()).handler(this::retailerChange);
        router.post(SandboxCartona.BASE + "/_orders/:id/details").handler(BodyHandler.create()).handler(this::retailerEdit);
        router.delete(SandboxCartona.BASE + "/_orders").handler(ctx -> {
            orders.clear();
            send(ctx, 200, Map.of("orders", 0));
        });
    }

    /** The supplier the token belongs to; else a 401 is sent and null returned. */
    private String supplier(RoutingContext ctx) {
        String presented = SandboxCartona.presentedToken(ctx);
        String supplier = presented == null ? null : SUPPLIER_BY_TOKEN.get(presented);
        if (supplier == null) {
            send(ctx, 401, Map.of("message", "Unauthenticated."));
        }
        return supplier;
    }

    private void pull(RoutingContext ctx, String supplier) {
        Instant from;
        Instant to;
        int page;
        int perPage;
        try {
            from = Instant.parse(ctx.request().getParam("from"));
            to = Instant.parse(ctx.request().getParam("to"));
            page = Integer.parseInt(ctx.request().getParam("page", "1"));
            perPage = Integer.parseInt(ctx.request().getParam("per_page", "10"));
        } catch (DateTimeParseException | NullPointerException | NumberFormatException e) {
            send(ctx, 422, Map.of("message", "from and to must be ISO-8601 instants, page and per_page numbers"));
            return;
        }
        if (page < 1 || perPage < 1 || perPage > 100 || to.isBefore(from)) {
            send(ctx, 422, Map.of("message", "page must be 1 or more, per_page 1 to 100, and from before to"));
            return;
        }
        List<Order> offered = orders.values().stream()
                .filter(o -> o.supplierCode.equals(supplier))
                .filter(o -> !o.synced && !o.placedAt.isAfter(to) || !o.changedAt.isBefore(from) && !o.changedAt.isAfter(to))
                .sorted(Comparator.comparing((Order o) -> o.placedAt).thenComparing(o -> o.view.path("hashed_id").asText()))
                .toList();
        ArrayNode answer = json.createArrayNode();
        offered.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(o -> answer.add(o.view.deepCopy()));
        send(ctx, 200, answer);
    }

    private void updateStatus(RoutingContext ctx, String supplier) {
        Order order = orders.get(ctx.pathParam("id"));
        if (order == null || !order.supplierCode.equals(supplier)) {
            send(ctx, 404, Map.of("message", "Order not found."));
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            send(ctx, 400, Map.of("message", "malformed JSON"));
            return;
        }
        String status = body == null ? "" : body.path("status").asText("");
        String reason = body == null ? "" : body.path("cancellation_reason").asText("");
        String problem = body == null || !ctx.pathParam("id").equals(body.path("hashed_id").asText()) ? "hashed_id must be the order's"
                : !SUPPLIER_STATUSES.contains(status) ? "The selected status is invalid."
                : status.equals("cancelled_by_supplier") && !CANCELLATION_REASONS.contains(reason) ? "The selected cancellation reason is invalid."
                : !status.equals("synced") && FINAL.contains(order.view.path("status").asText())
                        ? "The order is " + order.view.path("status").asText() + " and cannot become " + status + "."
                : null;
        if (problem != null) {
            send(ctx, 422, Map.of("message", problem));
            return;
        }
        synchronized (order) {
            if (status.equals("synced")) {
                order.synced = true;
            } else {
                order.view.put("status", status);
                order.changedAt = Instant.now();
            }
            order.statusHistory.add(reason.isEmpty() ? Map.of("status", status, "at", Instant.now().toString())
                    : Map.of("status", status, "cancellation_reason", reason, "at", Instant.now().toString()));
        }
        send(ctx, 200, Map.of("message", "Order status updated successfully."));
    }

    /**
     * {@code [{"hashed_id","order_details":[{"internal_product_id","amount"?,"cancelled"?}]}]}: the supplier changes
     * quantities of products on its orders (all or nothing: an unknown order or product, or a closed order, is a 422).
     */
    private void updateDetails(RoutingContext ctx, String supplier) {
        JsonNode body;
        try {
            body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isArray() || body.isEmpty()) {
            send(ctx, 422, Map.of("message", "The body must be an array of {hashed_id, order_details}."));
            return;
        }
        for (JsonNode change : body) {
            Order order = orders.get(change.path("hashed_id").asText());
            String problem = order == null || !order.supplierCode.equals(supplier) ? "Order " + change.path("hashed_id").asText() + " not found."
                    : FINAL.contains(order.view.path("status").asText()) ? "The order is " + order.view.path("status").asText() + "."
                    : !change.path("order_details").isArray() || change.path("order_details").isEmpty() ? "order_details is required."
                    : null;
            for (JsonNode detail : problem == null ? change.path("order_details") : json.createArrayNode()) {
                boolean known = false;
                for (JsonNode line : order.view.path("order_details")) {
                    known |= line.path("internal_product_id").asText().equals(detail.path("internal_product_id").asText());
                }
                if (!known) {
                    problem = "Product " + detail.path("internal_product_id").asText() + " is not on order " + change.path("hashed_id").asText() + ".";
                } else if (!detail.path("cancelled").asBoolean(false) && (!detail.path("amount").canConvertToInt() || detail.path("amount").asInt() < 0)) {
                    problem = "The amount must be a whole number, 0 or more.";
                }
            }
            if (problem != null) {
                send(ctx, 422, Map.of("message", problem));
                return;
            }
        }
        for (JsonNode change : body) {
            Order order = orders.get(change.path("hashed_id").asText());
            synchronized (order) {
                for (JsonNode detail : change.path("order_details")) {
                    for (JsonNode line : order.view.path("order_details")) {
                        if (line.path("internal_product_id").asText().equals(detail.path("internal_product_id").asText())) {
                            ((ObjectNode) line).put("amount", detail.path("cancelled").asBoolean(false) ? 0 : detail.path("amount").asInt());
                        }
                    }
                }
                order.detailsHistory.add(json.convertValue(change.path("order_details"), List.class));
            }
        }
        send(ctx, 200, Map.of("message", "Order details updated successfully."));
    }

    private void place(RoutingContext ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("order_details").isArray() || body.path("order_details").isEmpty()
                || body.path("retailer").path("retailer_code").asText("").isEmpty()) {
            send(ctx, 400, Map.of("error", "expected {\"retailer\":{\"retailer_code\",...},\"order_details\":[{\"internal_product_id\","
                    + "\"amount\",\"selling_price\"}],\"supplier_code\"?,\"delivery_day\"?}"));
            return;
        }
        String supplier = body.path("supplier_code").asText(MAIN_SUPPLIER);
        Instant now = Instant.now();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        ObjectNode view = json.createObjectNode();
        view.put("hashed_id", id.toString());
        view.put("supplier_code", supplier);
        view.put("status", "pending");
        view.put("delivery_day", body.path("delivery_day").asText(null));
        BigDecimal total = BigDecimal.ZERO;
        ArrayNode details = view.putArray("order_details");
        int line = 1;
        for (JsonNode given : body.path("order_details")) {
            BigDecimal price = new BigDecimal(given.path("selling_price").asText("0"));
            total = total.add(price.multiply(BigDecimal.valueOf(given.path("amount").asInt())));
            details.addObject()
                    .put("id", line++)
                    .put("internal_product_id", given.path("internal_product_id").asText())
                    .put("supplier_product_id", given.path("internal_product_id").asText())
                    .put("product_name", given.path("product_name").asText("Product " + given.path("internal_product_id").asText()))
                    .put("amount", given.path("amount").asInt())
                    .put("selling_price", price.setScale(2, RoundingMode.HALF_UP).toPlainString())
                    .put("unit", given.path("unit").asText("piece"))
                    .put("comment", given.path("comment").asText(""));
        }
        view.put("total_price", total.setScale(2, RoundingMode.HALF_UP).toPlainString());
        view.put("created_at", now.toString());
        view.set("retailer", body.get("retailer").deepCopy());
        orders.put(id.toString(), new Order(view, supplier, now));
        send(ctx, 201, view);
    }

    /** The retailer's side: a cancellation, a return, an edit; the order is offered to the pull again. */
    private void retailerChange(RoutingContext ctx) {
        Order order = orders.get(ctx.pathParam("id"));
        if (order == null) {
            send(ctx, 404, Map.of("message", "no order " + ctx.pathParam("id")));
            return;
        }
        Map<String, Object> body;
        try {
            body = SandboxHttp.readObject(json, ctx);
        } catch (IllegalArgumentException e) {
            body = Map.of();
        }
        String status = String.valueOf(body.getOrDefault("status", ""));
        if (!Set.of("cancelled_by_retailer", "returned", "editing", "pending").contains(status)) {
            send(ctx, 400, Map.of("error", "the retailer's side sets cancelled_by_retailer, returned, editing or pending"));
            return;
        }
        synchronized (order) {
            order.view.put("status", status);
            order.changedAt = Instant.now();
            order.synced = false;
        }
        send(ctx, 200, inspect(order));
    }

    /** The retailer edits the order: its lines become these (amounts and prices); it is offered to the pull again. */
    private void retailerEdit(RoutingContext ctx) {
        Order order = orders.get(ctx.pathParam("id"));
        JsonNode body;
        try {
            body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (order == null || body == null || !body.path("order_details").isArray()) {
            send(ctx, order == null ? 404 : 400, Map.of("error", "expected {\"order_details\":[{\"internal_product_id\",\"amount\",\"selling_price\"}]}"));
            return;
        }
        synchronized (order) {
            ArrayNode details = order.view.putArray("order_details");
            BigDecimal total = BigDecimal.ZERO;
            int line = 1;
            for (JsonNode given : body.path("order_details")) {
                BigDecimal price = new BigDecimal(given.path("selling_price").asText("0"));
                total = total.add(price.multiply(BigDecimal.valueOf(given.path("amount").asInt())));
                details.addObject().put("id", line++).put("internal_product_id", given.path("internal_product_id").asText())
                        .put("supplier_product_id", given.path("internal_product_id").asText())
                        .put("product_name", given.path("product_name").asText("Product " + given.path("internal_product_id").asText()))
                        .put("amount", given.path("amount").asInt()).put("selling_price", price.setScale(2, RoundingMode.HALF_UP).toPlainString())
                        .put("unit", "piece").put("comment", "");
            }
            order.view.put("total_price", total.setScale(2, RoundingMode.HALF_UP).toPlainString());
            order.changedAt = Instant.now();
            order.synced = false;
        }
        send(ctx, 200, inspect(order));
    }

    private Map<String, Object> inspect(Order order) {
        Map<String, Object> view = json.convertValue(order.view, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
        });
        Map<String, Object> inspected = new java.util.LinkedHashMap<>(view);
        inspected.put("synced", order.synced);
        inspected.put("status_history", new ArrayList<>(order.statusHistory));
        inspected.put("details_history", new ArrayList<>(order.detailsHistory));
        return inspected;
    }

    private void send(RoutingContext ctx, int status, Object body) {
        SandboxHttp.reply(json, ctx.response(), status, body);
    }
}

package io.marketbridge.sandbox.medusa;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order side of the simulated Medusa (protocols/medusa.md, "Orders"): orders placed on demand (the sandbox's
 * stand-in for a shopper's checkout), listed as {@code GET /admin/orders} lists them (filters {@code updated_at[$gte]}
 * / {@code [$gt]} / {@code [$lte]} and {@code id}, {@code order}, {@code limit}/{@code offset}, {@code fields} choosing
 * the scalars and {@code *relations} shown), their metadata updated by {@code POST /admin/orders/{id}}, canceled by
 * {@code POST /admin/orders/{id}/cancel}, and their payment captured through a sandbox control. Every change moves
 * {@code updated_at} (strictly: two changes never share one). Prices are in major units, as Medusa's.
 * Callers hold the store's lock.
 */
final class SimulatedMedusaOrders {

    /** What an order shows when {@code fields} asks for no scalar of its own (Medusa's default list fields, in short). */
    private static final Set<String> DEFAULT_FIELDS = Set.of("id", "display_id", "status", "payment_status", "fulfillment_status", "email",
            "currency_code", "total", "created_at", "updated_at");
    private static final Set<String> PAYMENT_STATUSES = Set.of("not_paid", "awaiting", "authorized", "partially_authorized", "captured",
            "partially_captured", "partially_refunded", "refunded", "canceled", "requires_action");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static final class Order {
        String id;
        long displayId;
        long createdAt;
        long updatedAt;
        String status = "pending";
        String paymentStatus;
        String fulfillmentStatus = "not_fulfilled";
        String email;
        String currencyCode;
        String customerId;
        Map<String, Object> shippingAddress;
        List<Map<String, Object>> items = new ArrayList<>();
        List<Map<String, Object>> shippingMethods = new ArrayList<>();
        List<Map<String, Object>> fulfillments = new ArrayList<>();
        Map<String, Object> metadata;
    }

    private final SimulatedMedusa store;
    final Map<String, Order> orders = new LinkedHashMap<>();
    private long lastChange;
    private long displayIds;
    private long lineIds;

    SimulatedMedusaOrders(SimulatedMedusa store) {
        this.store = store;
    }

    void clear() {
        orders.clear();
    }

    /**
     * Places an order: {@code {email, customer_id?, currency_code, payment_status?, items:[{sku, quantity, unit_price?,
     * title?}], shipping_methods:[{name, amount}], shipping_address:{...}}}. A SKU the store has is that variant at its
     * price in the order's currency; any other line (or {@code sku: null}, a custom line item) needs its unit_price.
     */
    Map<String, Object> place(Map<String, Object> request, long now) {
        Order order = new Order();
        order.id = store.newId("order");
        order.displayId = ++displayIds;
        order.createdAt = order.updatedAt = tick(now);
        order.email = text(request.get("email"));
        order.customerId = text(request.get("customer_id"));
        String currency = text(request.get("currency_code"));
        if (currency == null) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: Field 'currency_code' is required");
        }
        order.currencyCode = currency.toLowerCase(Locale.ROOT);
        order.paymentStatus = text(request.get("payment_status")) == null ? "captured" : text(request.get("payment_status"));
        if (!PAYMENT_STATUSES.contains(order.paymentStatus)) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: unknown payment_status '" + order.paymentStatus + "'");
        }
        if (request.get("shipping_address") instanceof Map<?, ?> address) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("id", store.newId("caaddr"));
            for (String field : List.of("first_name", "last_name", "company", "address_1", "address_2", "city", "province", "postal_code",
                    "country_code", "phone")) {
                shown.put(field, address.get(field) == null ? null : String.valueOf(address.get(field)));
            }
            order.shippingAddress = shown;
        }
        if (!(request.get("items") instanceof List<?> items) || items.isEmpty()) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: an order needs items");
        }
        for (Object given : items) {
            order.items.add(item(order, (Map<?, ?>) given));
        }
        if (request.get("shipping_methods") instanceof List<?> methods) {
            for (Object given : methods) {
                Map<?, ?> method = (Map<?, ?>) given;
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("id", store.newId("ordsm"));
                shown.put("name", text(method.get("name")));
                shown.put("amount", amount(method.get("amount"), "shipping_methods.amount"));
                shown.put("shipping_option_id", null);
                order.shippingMethods.add(shown);
            }
        }
        orders.put(order.id, order);
        return Map.of("order", show(order, null));
    }

    private Map<String, Object> item(Order order, Map<?, ?> given) {
        String sku = text(given.get("sku"));
        SimulatedMedusa.Variant variant = sku == null ? null : store.variantsBySku.get(sku);
        BigDecimal price = given.get("unit_price") != null ? amount(given.get("unit_price"), "items.unit_price") : null;
        if (price == null && variant != null) {
            for (SimulatedMedusa.Price known : variant.prices) {
                if (order.currencyCode.equals(known.currencyCode())) {
                    price = known.amount();
                }
            }
        }
        if (price == null) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: no unit_price for item " + sku + " in " + order.currencyCode);
        }
        int quantity = given.get("quantity") instanceof Number n ? n.intValue() : 1;
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", "ordli_" + order.id.substring(order.id.indexOf('_') + 1) + "_" + (++lineIds));
        String title = text(given.get("title"));
        shown.put("title", variant != null ? variant.title : title == null ? sku : title);
        shown.put("product_title", variant != null ? variant.product.title : title);
        shown.put("variant_title", variant != null ? variant.title : null);
        shown.put("variant_sku", sku);
        shown.put("variant_id", variant != null ? variant.id : null);
        shown.put("product_id", variant != null ? variant.product.id : null);
        shown.put("unit_price", price);
        shown.put("quantity", quantity);
        return shown;
    }

    /** {@code GET /admin/orders}: the filters, then Medusa's order (default {@code -created_at}), then the page. */
    List<Order> list(Map<String, List<String>> query) {
        Predicate<Order> matches = order -> true;
        for (var filter : query.entrySet()) {
            String name = filter.getKey();
            for (String value : filter.getValue()) {
                if (name.startsWith("updated_at[") || name.startsWith("created_at[")) {
                    boolean updated = name.startsWith("updated_at");
                    String operator = name.substring(name.indexOf('[') + 1, name.length() - 1);
                    long at = instant(value, name);
                    Predicate<Order> test = switch (operator) {
                        case "$gte" -> o -> (updated ? o.updatedAt : o.createdAt) >= at;
                        case "$gt" -> o -> (updated ? o.updatedAt : o.createdAt) > at;
                        case "$lte" -> o -> (updated ? o.updatedAt : o.createdAt) <= at;
                        case "$lt" -> o -> (updated ? o.updatedAt : o.createdAt) < at;
                        default -> throw SimulatedMedusa.MedusaError.invalid("Invalid request: Unrecognized operator '" + operator + "'");
                    };
                    matches = matches.and(test);
                }
            }
        }
        List<String> ids = new ArrayList<>(query.getOrDefault("id", List.of()));
        ids.addAll(query.getOrDefault("id[]", List.of()));
        if (!ids.isEmpty()) {
            matches = matches.and(o -> ids.contains(o.id));
        }
        String order = query.getOrDefault("order", List.of("-created_at")).get(0);
        boolean descending = order.startsWith("-");
        Comparator<Order> by = switch (descending ? order.substring(1) : order) {
            case "created_at" -> Comparator.comparingLong((Order o) -> o.createdAt);
            case "updated_at" -> Comparator.comparingLong((Order o) -> o.updatedAt);
            case "display_id" -> Comparator.comparingLong((Order o) -> o.displayId);
            default -> throw SimulatedMedusa.MedusaError.invalid("Invalid request: cannot order by '" + order + "'");
        };
        return orders.values().stream().filter(matches).sorted(descending ? by.reversed() : by).toList();
    }

    Order get(String id) {
        Order order = orders.get(id);
        if (order == null) {
            throw SimulatedMedusa.MedusaError.notFound("Order with id: " + id + " was not found");
        }
        return order;
    }

    /** {@code POST /admin/orders/{id}}: {@code metadata} (replaced as sent), {@code email}; anything else refused. */
    Map<String, Object> update(String id, Map<String, Object> body, long now) {
        Order order = get(id);
        for (String field : body.keySet()) {
            if (!Set.of("metadata", "email").contains(field)) {
                throw SimulatedMedusa.MedusaError.invalid("Invalid request: Unrecognized fields: '" + field + "'");
            }
        }
        if (body.containsKey("metadata")) {
            if (body.get("metadata") != null && !(body.get("metadata") instanceof Map)) {
                throw SimulatedMedusa.MedusaError.invalid("Invalid request: Expected type: 'object' for field 'metadata'");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
            order.metadata = metadata == null ? null : new LinkedHashMap<>(metadata);
        }
        if (body.get("email") != null) {
            order.email = String.valueOf(body.get("email"));
        }
        order.updatedAt = tick(now);
        return Map.of("order", show(order, null));
    }

    /** {@code POST /admin/orders/{id}/cancel}: canceled, an uncaptured payment canceled with it, a captured one refunded. */
    Map<String, Object> cancel(String id, long now) {
        Order order = get(id);
        if (!"canceled".equals(order.status)) {
            order.status = "canceled";
            order.paymentStatus = order.paymentStatus.contains("captured") ? "refunded" : "canceled";
            order.updatedAt = tick(now);
        }
        return Map.of("order", show(order, null));
    }

    /**
     * {@code POST /admin/orders/{id}/fulfillments {items:[{id, quantity}], location_id?, metadata?}}: a fulfillment
     * of those items (never more than is left to fulfil), packed now; the order's fulfillment_status follows.
     */
    Map<String, Object> fulfil(String id, Map<String, Object> body, long now) {
        Order order = get(id);
        if ("canceled".equals(order.status)) {
            throw new SimulatedMedusa.MedusaError(400, "not_allowed", "Order with id " + id + " has been canceled.");
        }
        List<Map<String, Object>> items = fulfilmentItems(order, body.get("items"), true);
        if (items.isEmpty()) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: Array must contain at least 1 element(s) (items)");
        }
        Map<String, Object> fulfillment = new LinkedHashMap<>();
        fulfillment.put("id", store.newId("ful"));
        fulfillment.put("location_id", body.get("location_id") == null ? SimulatedMedusa.SANDBOX_LOCATION : body.get("location_id"));
        fulfillment.put("packed_at", TIME.format(Instant.ofEpochMilli(now)));
        fulfillment.put("shipped_at", null);
        fulfillment.put("delivered_at", null);
        fulfillment.put("canceled_at", null);
        fulfillment.put("metadata", body.get("metadata"));
        fulfillment.put("items", items);
        fulfillment.put("labels", new ArrayList<>());
        fulfillment.put("created_at", TIME.format(Instant.ofEpochMilli(now)));
        order.fulfillments.add(fulfillment);
        order.fulfillmentStatus = fulfilled(order) >= ordered(order) ? "fulfilled" : "partially_fulfilled";
        order.updatedAt = tick(now);
        return Map.of("order", show(order, null));
    }

    /** {@code POST /admin/orders/{id}/fulfillments/{fulfillment_id}/shipments {items, labels}}: shipped now, with its labels. */
    Map<String, Object> ship(String id, String fulfillmentId, Map<String, Object> body, long now) {
        Order order = get(id);
        Map<String, Object> fulfillment = order.fulfillments.stream().filter(f -> fulfillmentId.equals(f.get("id"))).findFirst()
                .orElseThrow(() -> SimulatedMedusa.MedusaError.notFound("Fulfillment with id: " + fulfillmentId + " was not found"));
        if (fulfillment.get("shipped_at") != null) {
            throw new SimulatedMedusa.MedusaError(400, "not_allowed", "Fulfillment has already been shipped");
        }
        fulfilmentItems(order, body.get("items"), false);
        List<Map<String, Object>> labels = new ArrayList<>();
        if (body.get("labels") instanceof List<?> given) {
            for (Object entry : given) {
                Map<?, ?> label = (Map<?, ?>) entry;
                for (String field : List.of("tracking_number", "tracking_url", "label_url")) {
                    if (!(label.get(field) instanceof String)) {
                        throw SimulatedMedusa.MedusaError.invalid("Invalid request: Field 'labels, " + field + "' is required");
                    }
                }
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("id", store.newId("fulla"));
                shown.put("tracking_number", label.get("tracking_number"));
                shown.put("tracking_url", label.get("tracking_url"));
                shown.put("label_url", label.get("label_url"));
                labels.add(shown);
            }
        }
        fulfillment.put("labels", labels);
        fulfillment.put("shipped_at", TIME.format(Instant.ofEpochMilli(now)));
        boolean allShipped = order.fulfillments.stream().allMatch(f -> f.get("shipped_at") != null);
        order.fulfillmentStatus = allShipped && fulfilled(order) >= ordered(order) ? "shipped" : "partially_shipped";
        order.updatedAt = tick(now);
        return Map.of("order", show(order, null));
    }

    private List<Map<String, Object>> fulfilmentItems(Order order, Object given, boolean bounded) {
        if (!(given instanceof List<?> list)) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: Field 'items' is required");
        }
        Map<String, Integer> left = new HashMap<>();
        for (Map<String, Object> item : order.items) {
            left.put((String) item.get("id"), ((Number) item.get("quantity")).intValue());
        }
        for (Map<String, Object> fulfillment : order.fulfillments) {
            if (fulfillment.get("canceled_at") == null) {
                for (Object done : (List<?>) fulfillment.get("items")) {
                    Map<?, ?> item = (Map<?, ?>) done;
                    left.merge((String) item.get("line_item_id"), -((Number) item.get("quantity")).intValue(), Integer::sum);
                }
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object entry : list) {
            Map<?, ?> item = (Map<?, ?>) entry;
            String lineId = String.valueOf(item.get("id"));
            int quantity = item.get("quantity") instanceof Number n ? n.intValue() : 0;
            if (!left.containsKey(lineId)) {
                throw SimulatedMedusa.MedusaError.notFound("Order item with id: " + lineId + " was not found");
            }
            if (bounded && (quantity <= 0 || quantity > left.get(lineId))) {
                throw new SimulatedMedusa.MedusaError(400, "not_allowed",
                        "Cannot fulfill more items than have been purchased for item " + lineId);
            }
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("id", store.newId("fulit"));
            shown.put("line_item_id", lineId);
            shown.put("quantity", quantity);
            items.add(shown);
        }
        return items;
    }

    private static int ordered(Order order) {
        return order.items.stream().mapToInt(i -> ((Number) i.get("quantity")).intValue()).sum();
    }

    private static int fulfilled(Order order) {
        int sum = 0;
        for (Map<String, Object> fulfillment : order.fulfillments) {
            if (fulfillment.get("canceled_at") == null) {
                for (Object item : (List<?>) fulfillment.get("items")) {
                    sum += ((Number) ((Map<?, ?>) item).get("quantity")).intValue();
                }
            }
        }
        return sum;
    }

    /** Sandbox control: the order's payment as the payment provider would move it ({@code captured}, {@code authorized}...). */
    Map<String, Object> pay(String id, String paymentStatus, long now) {
        Order order = get(id);
        if (!PAYMENT_STATUSES.contains(paymentStatus)) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: unknown payment_status '" + paymentStatus + "'");
        }
        order.paymentStatus = paymentStatus;
        order.updatedAt = tick(now);
        return Map.of("order", show(order, null));
    }

    /** An order with the fields asked for ({@code null}: Medusa's defaults). */
    Map<String, Object> show(Order order, String fields) {
        Set<String> shown = new LinkedHashSet<>(DEFAULT_FIELDS);
        if (fields != null && !fields.isBlank()) {
            boolean replaces = false;
            for (String field : fields.split(",")) {
                String f = field.trim();
                if (!f.isEmpty() && !f.startsWith("+") && !f.startsWith("-") && !f.startsWith("*")) {
                    replaces = true;
                }
            }
            if (replaces) {
                shown.clear();
                shown.add("id");
            }
            for (String field : fields.split(",")) {
                String f = field.trim();
                if (f.startsWith("-")) {
                    shown.remove(f.substring(1));
                } else if (!f.isEmpty()) {
                    String name = f.startsWith("+") || f.startsWith("*") ? f.substring(1) : f;
                    // a relation's fields (items.*, *fulfillments.labels): the relation is shown whole
                    shown.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
                }
            }
        }
        // Medusa's order workflows compute these two from the payment collections and fulfillments, whatever fields asked
        shown.add("payment_status");
        shown.add("fulfillment_status");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("id", order.id);
        all.put("display_id", order.displayId);
        all.put("status", order.status);
        all.put("payment_status", order.paymentStatus);
        all.put("fulfillment_status", order.fulfillmentStatus);
        all.put("email", order.email);
        all.put("currency_code", order.currencyCode);
        all.put("customer_id", order.customerId);
        BigDecimal items = BigDecimal.ZERO;
        for (Map<String, Object> item : order.items) {
            items = items.add(((BigDecimal) item.get("unit_price")).multiply(BigDecimal.valueOf(((Number) item.get("quantity")).longValue())));
        }
        BigDecimal shipping = order.shippingMethods.stream().map(m -> (BigDecimal) m.get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
        all.put("item_total", items);
        all.put("shipping_total", shipping);
        all.put("total", items.add(shipping));
        all.put("metadata", order.metadata);
        all.put("created_at", TIME.format(Instant.ofEpochMilli(order.createdAt)));
        all.put("updated_at", TIME.format(Instant.ofEpochMilli(order.updatedAt)));
        all.put("items", order.items);
        all.put("shipping_address", order.shippingAddress);
        all.put("shipping_methods", order.shippingMethods);
        all.put("fulfillments", order.fulfillments);
        all.put("customer", order.customerId == null ? null : Map.of("id", order.customerId, "email", String.valueOf(order.email)));
        Map<String, Object> answer = new LinkedHashMap<>();
        for (String field : shown) {
            if (!all.containsKey(field)) {
                // Medusa's query layer refuses a field the entity does not have
                throw SimulatedMedusa.MedusaError.invalid("Invalid request: Entity 'Order' does not have property '" + field + "'");
            }
            answer.put(field, all.get(field));
        }
        return answer;
    }

    /** Each change a millisecond after the last at least: an order's changes never share an updated_at. */
    private long tick(long now) {
        lastChange = Math.max(now, lastChange + 1);
        return lastChange;
    }

    private static long instant(String value, String name) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (RuntimeException e) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: Expected a date for field '" + name + "', got: '" + value + "'");
        }
    }

    private static BigDecimal amount(Object value, String field) {
        try {
            return new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw SimulatedMedusa.MedusaError.invalid("Invalid request: Expected type: 'number' for field '" + field + "', got: '" + value + "'");
        }
    }

    private static String text(Object value) {
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }
}

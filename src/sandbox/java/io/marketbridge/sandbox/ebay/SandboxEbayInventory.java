package io.marketbridge.sandbox.ebay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxHttp;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The simulated eBay Sell Inventory API (protocols/ebay.md): the seller's inventory items, each
 * with one offer on EBAY_US, paged and read in bulk as eBay does, and {@code bulk_update_price_quantity}
 * with eBay's per-entry answers (HTTP 200, or 207 when any entry failed). Items are kept compactly
 * (one small object per SKU), so a catalog of 100,000 fits a test JVM.
 * <p>
 * Controls (never subject to faults): {@code POST /sandbox/ebay/_inventory} seeds items,
 * {@code GET|POST /sandbox/ebay/_inventory/items/{sku}} reads or changes one on eBay's side (quantity,
 * price, a sale, per-SKU rejection or silent drop of updates), {@code GET /sandbox/ebay/_inventory/stats}
 * counts calls per endpoint, {@code DELETE /sandbox/ebay/_inventory} empties the catalog.
 */
@Singleton
public class SandboxEbayInventory {

    private static final String API = "/sandbox/ebay/sell/inventory/v1";
    private static final String CONTROL = "/sandbox/ebay/_inventory";
    private static final int MAX_PAGE = 200;
    private static final int MAX_BULK = 25;
    private static final int MAX_SEED = 200_000;
    static final String MARKETPLACE = "EBAY_US";

    /** Armed for one SKU: its updates are refused with this eBay error ({@code times} < 0: until cleared). */
    private record Rejection(int errorId, int statusCode, String message, int times) {
        Map<String, Object> describe() {
            return Map.of("errorId", errorId, "statusCode", statusCode, "message", message, "times", times);
        }
    }

    /** One SKU on eBay: its inventory item and its single offer. Guarded by the simulator's lock. */
    private static final class Item {
        final String sku;
        final String title;
        final String description;
        final String categoryId;
        final String currency;
        final String ean;
        final String imageUrl;
        final String groupId;
        final long offerId;
        /** 0 while the offer is not published. */
        final long listingId;
        int shipToQuantity;
        int availableQuantity;
        int soldQuantity;
        BigDecimal price;
        int revisions;
        Rejection rejection;
        boolean silentDrop;

        Item(String sku, Seed seed, long offerId, long listingId) {
            this.sku = sku;
            this.title = seed.title; // null: named after the SKU when shown, so 100,000 items share no per-item title
            this.description = seed.description;
            this.categoryId = seed.categoryId;
            this.currency = seed.currency;
            this.ean = seed.ean;
            this.imageUrl = seed.imageUrl;
            this.groupId = seed.groupId;
            this.offerId = offerId;
            this.listingId = listingId;
            this.shipToQuantity = seed.quantity;
            this.availableQuantity = seed.quantity;
            this.price = seed.price;
        }

        boolean published() {
            return listingId != 0;
        }
    }

    /** What a seed request asks for; shared strings keep 100,000 seeded items small. */
    private record Seed(int count, String skuPrefix, int quantity, BigDecimal price, String currency, String categoryId,
            String title, String description, String ean, String imageUrl, String groupId, boolean published, Long listingId) {
    }

    private final ObjectMapper json;
    private final SandboxEbayApi api;
    /** The seller's catalog in the order eBay pages through it. */
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Item> bySku = new HashMap<>();
    private final Map<Long, Item> byOfferId = new HashMap<>();
    private final AtomicLong offerIds = new AtomicLong(5_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L));
    private final AtomicLong listingIds = new AtomicLong(120_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 100);
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder applied = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    SandboxEbayInventory(ObjectMapper json, SandboxEbayApi api) {
        this.json = json;
        this.api = api;
    }

    void mount(@Observes Router router, SandboxSettings sandbox) {
        if (!sandbox.enabled()) {
            return;
        }
        router.get(API + "/inventory_item").handler(ctx -> call(ctx, "inventory_item", this::inventoryItems));
        router.post(API + "/bulk_get_inventory_item").handler(BodyHandler.create())
                .handler(ctx -> call(ctx, "bulk_get_inventory_item", this::bulkGetInventoryItems));
        router.get(API + "/offer").handler(ctx -> call(ctx, "offer", this::offers));
        router.get(API + "/offer/:offerId").handler(ctx -> call(ctx, "offer/{offerId}", this::offer));
        router.post(API + "/bulk_update_price_quantity").handler(BodyHandler.create())
                .handler(ctx -> call(ctx, "bulk_update_price_quantity", this::bulkUpdatePriceQuantity));
        router.post(CONTROL).handler(BodyHandler.create()).handler(this::seed);
        router.delete(CONTROL).handler(ctx -> {
            reset();
            send(ctx.response(), 200, Map.of("cleared", true));
        });
        router.get(CONTROL + "/stats").handler(ctx -> send(ctx.response(), 200, stats()));
        router.get(CONTROL + "/items/:sku").handler(this::readItem);
        router.post(CONTROL + "/items/:sku").handler(BodyHandler.create()).handler(this::changeItem);
    }

    /** An eBay API call: a valid seller token first, then counted per endpoint. */
    private void call(RoutingContext ctx, String endpoint, Consumer<RoutingContext> handler) {
        if (!api.authorized(ctx)) {
            return;
        }
        calls.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
        try {
            handler.accept(ctx);
        } catch (IllegalArgumentException e) {
            send(ctx.response(), 400, errors(25709, "REQUEST", e.getMessage()));
        }
    }

    // --- Sell Inventory API --------------------------------------------------------------------

    /**
     * {@code GET /inventory_item?limit=1..200 (default 25)&offset=}: as eBay's contract documents it,
     * {@code offset} is the page number (0 the first page) and {@code size} the number of pages; the
     * answer links its own page, the next and the previous one ({@code href}, {@code next}, {@code prev}).
     */
    private void inventoryItems(RoutingContext ctx) {
        int limit = intParam(ctx, "limit", 25, 1, MAX_PAGE);
        int pageNumber = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        long first = (long) pageNumber * limit;
        List<Map<String, Object>> page = new ArrayList<>();
        int total;
        synchronized (this) {
            total = items.size();
            for (long i = first; i < Math.min(total, first + limit); i++) {
                page.add(inventoryItem(items.get((int) i)));
            }
        }
        String self = origin(ctx) + API + "/inventory_item";
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("href", self + "?limit=" + limit + "&offset=" + pageNumber);
        answer.put("total", total);
        answer.put("size", (total + limit - 1) / limit);
        answer.put("limit", limit);
        if (first + limit < total) {
            answer.put("next", self + "?limit=" + limit + "&offset=" + (pageNumber + 1));
        }
        if (pageNumber > 0) {
            answer.put("prev", self + "?limit=" + limit + "&offset=" + (pageNumber - 1));
        }
        answer.put("inventoryItems", page);
        send(ctx.response(), 200, answer);
    }

    /** {@code {"requests":[{"sku":..}]}}, 1..25 of them: 200 when every SKU is found, else 207. */
    private void bulkGetInventoryItems(RoutingContext ctx) {
        List<Map<String, Object>> requests = requests(ctx);
        List<Map<String, Object>> responses = new ArrayList<>();
        synchronized (this) {
            for (Map<String, Object> request : requests) {
                String sku = request.get("sku") == null ? null : String.valueOf(request.get("sku"));
                Item item = sku == null ? null : bySku.get(sku);
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("sku", sku);
                if (item == null) {
                    response.put("statusCode", 404);
                    response.put("errors", List.of(error(25710, "REQUEST", "We didn't find the entity you are requesting (SKU " + sku + ").")));
                } else {
                    response.put("statusCode", 200);
                    response.put("inventoryItem", inventoryItem(item));
                }
                response.put("warnings", List.of());
                responses.add(response);
            }
        }
        send(ctx.response(), allSucceeded(responses) ? 200 : 207, Map.of("responses", responses));
    }

    /** {@code GET /offer?sku=}: the SKU's offers (here exactly one), 404 (25713) when it has none. */
    private void offers(RoutingContext ctx) {
        String sku = ctx.request().getParam("sku");
        if (sku == null || sku.isBlank()) {
            send(ctx.response(), 400, errors(25707, "REQUEST", "This is an invalid value for a SKU: the sku query parameter is required."));
            return;
        }
        Map<String, Object> offer;
        synchronized (this) {
            Item item = bySku.get(sku);
            offer = item == null ? null : offer(item);
        }
        if (offer == null) {
            send(ctx.response(), 404, errors(25713, "REQUEST", "This Offer is not available."));
            return;
        }
        send(ctx.response(), 200, Map.of("href", origin(ctx) + ctx.request().uri(), "limit", 25, "size", 1, "total", 1,
                "offers", List.of(offer)));
    }

    /** {@code GET /offer/{offerId}}. */
    private void offer(RoutingContext ctx) {
        Map<String, Object> offer = null;
        try {
            long offerId = Long.parseLong(ctx.pathParam("offerId"));
            synchronized (this) {
                Item item = byOfferId.get(offerId);
                offer = item == null ? null : offer(item);
            }
        } catch (NumberFormatException e) {
            // not an eBay offer id: not found either
        }
        if (offer == null) {
            send(ctx.response(), 404, errors(25713, "REQUEST", "This Offer is not available."));
            return;
        }
        send(ctx.response(), 200, offer);
    }

    /**
     * {@code {"requests":[{"sku","shipToLocationAvailability":{"quantity"},"offers":[{"offerId","availableQuantity",
     * "price":{"value","currency"}}]}]}}, 1..25 entries (else 400). One response per offer (or per SKU when an
     * entry names no offer); HTTP 200 when all succeeded, else 207. An entry is applied whole or not at all.
     */
    private void bulkUpdatePriceQuantity(RoutingContext ctx) {
        List<Map<String, Object>> requests = requests(ctx);
        List<Map<String, Object>> responses = new ArrayList<>();
        synchronized (this) {
            for (Map<String, Object> request : requests) {
                responses.addAll(update(request));
            }
        }
        send(ctx.response(), allSucceeded(responses) ? 200 : 207, Map.of("responses", responses));
    }

    private List<Map<String, Object>> update(Map<String, Object> request) {
        String sku = request.get("sku") == null ? null : String.valueOf(request.get("sku"));
        List<Map<?, ?>> offers = new ArrayList<>();
        if (request.get("offers") instanceof List<?> list) {
            list.forEach(o -> offers.add(o instanceof Map<?, ?> m ? m : Map.of()));
        }
        Item item = sku == null ? null : bySku.get(sku);
        Map<String, Object> failure = null;
        Integer shipTo = null;
        Integer available = null;
        BigDecimal price = null;
        try {
            if (item == null) {
                failure = entryError(404, 25710, "No inventory item found for SKU " + sku + ".");
            } else if (!request.containsKey("shipToLocationAvailability") && offers.isEmpty()) {
                failure = entryError(400, 25709, "Invalid value for requests: give shipToLocationAvailability or offers.");
            } else {
                if (request.get("shipToLocationAvailability") instanceof Map<?, ?> availability) {
                    shipTo = quantity(availability.get("quantity"), "shipToLocationAvailability.quantity");
                }
                for (Map<?, ?> offer : offers) {
                    Item target = offer.get("offerId") == null ? null : byOfferId.get(parseLong(offer.get("offerId")));
                    if (target != item) {
                        failure = entryError(404, 25713, "This Offer is not available (offerId " + offer.get("offerId") + " of SKU " + sku + ").");
                        break;
                    }
                    if (!item.published()) {
                        failure = entryError(400, 25709, "Offer " + item.offerId + " is not published: only published offers are updated.");
                        break;
                    }
                    if (offer.containsKey("availableQuantity")) {
                        available = quantity(offer.get("availableQuantity"), "availableQuantity");
                    }
                    if (offer.get("price") instanceof Map<?, ?> amount) {
                        price = price(amount, item.currency);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            failure = entryError(400, 25709, e.getMessage());
        }
        if (failure == null && item.rejection != null) {
            Rejection rule = item.rejection;
            failure = entryError(rule.statusCode(), rule.errorId(), rule.message());
            if (rule.times() > 0) {
                item.rejection = rule.times() == 1 ? null : new Rejection(rule.errorId(), rule.statusCode(), rule.message(), rule.times() - 1);
            }
        }
        if (failure != null) {
            rejected.increment();
        } else if (item.silentDrop) {
            dropped.increment(); // answered as success, never applied: a lost update the reconciliation must heal
        } else {
            if (shipTo != null) {
                item.shipToQuantity = shipTo;
            }
            if (available != null) {
                item.availableQuantity = available;
            }
            if (price != null) {
                item.price = price;
            }
            item.revisions++;
            applied.increment();
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        List<Object> offerIds = new ArrayList<>();
        offers.forEach(o -> offerIds.add(o.get("offerId")));
        if (offerIds.isEmpty()) {
            offerIds.add(null); // an entry without offers is answered once, for its SKU
        }
        for (Object offerId : offerIds) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("statusCode", failure == null ? 200 : failure.get("statusCode"));
            response.put("sku", sku);
            if (offerId != null) {
                response.put("offerId", String.valueOf(offerId));
            }
            response.put("errors", failure == null ? List.of() : List.of(failure.get("error")));
            response.put("warnings", List.of());
            responses.add(response);
        }
        return responses;
    }

    private static Map<String, Object> entryError(int statusCode, int errorId, String message) {
        return Map.of("statusCode", statusCode, "error", error(errorId, statusCode >= 500 ? "APPLICATION" : "REQUEST", message));
    }

    private static int quantity(Object value, String field) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 0) {
            throw new IllegalArgumentException("Invalid value for " + field + ": " + value + " (a whole number, 0 or more).");
        }
        return n.intValue();
    }

    private static BigDecimal price(Map<?, ?> amount, String currency) {
        Object value = amount.get("value");
        BigDecimal price;
        try {
            price = new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for price.value: " + value + ".");
        }
        if (!(value instanceof String) || price.signum() <= 0 || price.scale() > 2) {
            throw new IllegalArgumentException("Invalid value for price.value: " + value + " (a positive amount as a string, 2 decimals at most).");
        }
        if (amount.get("currency") != null && !currency.equals(amount.get("currency"))) {
            throw new IllegalArgumentException("Invalid value for price.currency: " + amount.get("currency") + " (the listing is in " + currency + ").");
        }
        return price;
    }

    /** The {@code requests} array of a bulk call: 1..25 objects, else the whole call is refused. */
    private List<Map<String, Object>> requests(RoutingContext ctx) {
        Object value = SandboxHttp.readObject(json, ctx).get("requests");
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_BULK) {
            throw new IllegalArgumentException("Invalid value for requests: between 1 and " + MAX_BULK + " entries are allowed, got "
                    + (value instanceof List<?> l ? l.size() : "none") + ".");
        }
        List<Map<String, Object>> requests = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("Invalid value for requests: every entry must be an object.");
            }
            Map<String, Object> request = new LinkedHashMap<>();
            map.forEach((k, v) -> request.put(String.valueOf(k), v));
            requests.add(request);
        }
        return requests;
    }

    // --- representations -------------------------------------------------------------------------

    private static Map<String, Object> inventoryItem(Item item) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("title", item.title == null ? "Sandbox item " + item.sku : item.title);
        if (item.description != null) {
            product.put("description", item.description);
        }
        product.put("aspects", Map.of());
        product.put("imageUrls", item.imageUrl == null ? List.of() : List.of(item.imageUrl));
        if (item.ean != null) {
            product.put("ean", List.of(item.ean));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sku", item.sku);
        answer.put("locale", "en_US");
        answer.put("condition", "NEW");
        answer.put("availability", Map.of("shipToLocationAvailability", Map.of("quantity", item.shipToQuantity)));
        answer.put("product", product);
        if (item.groupId != null) {
            answer.put("groupIds", List.of(item.groupId));
        }
        return answer;
    }

    private static Map<String, Object> offer(Item item) {
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("offerId", String.valueOf(item.offerId));
        offer.put("sku", item.sku);
        offer.put("marketplaceId", MARKETPLACE);
        offer.put("format", "FIXED_PRICE");
        offer.put("availableQuantity", item.availableQuantity);
        offer.put("categoryId", item.categoryId);
        if (item.description != null) {
            offer.put("listingDescription", item.description);
        }
        offer.put("pricingSummary", Map.of("price", Map.of("value", item.price.toPlainString(), "currency", item.currency)));
        offer.put("status", item.published() ? "PUBLISHED" : "UNPUBLISHED");
        if (item.published()) {
            offer.put("listing", Map.of("listingId", String.valueOf(item.listingId), "listingStatus", "ACTIVE",
                    "soldQuantity", item.soldQuantity));
        }
        return offer;
    }

    // --- controls ----------------------------------------------------------------------------------

    /**
     * {@code {"count":450,"skuPrefix":"MB-X","quantity":5,"price":"19.99","currency":"USD","categoryId":"31388",
     * "title":..,"description":..,"ean":..,"imageUrl":..,"groupId":..,"listingId":..,"published":true}} → {@code {"skus":[...]}}:
     * SKUs {@code <skuPrefix>-<1..count><skuSuffix>} (the suffix is optional), appended to the catalog, each with a published offer (unless told otherwise).
     */
    private void seed(RoutingContext ctx) {
        Seed seed;
        String suffix;
        try {
            Map<String, Object> request = SandboxHttp.readObject(json, ctx);
            seed = seedRequest(request);
            suffix = String.valueOf(request.getOrDefault("skuSuffix", ""));
        } catch (IllegalArgumentException e) {
            send(ctx.response(), 400, Map.of("error", e.getMessage()));
            return;
        }
        List<String> skus = new ArrayList<>(seed.count());
        for (int i = 1; i <= seed.count(); i++) {
            skus.add(seed.skuPrefix() + "-" + i + suffix);
        }
        int total;
        synchronized (this) {
            for (String sku : skus) {
                if (bySku.containsKey(sku)) {
                    send(ctx.response(), 409, Map.of("error", "SKU " + sku + " is already on eBay: choose another skuPrefix"));
                    return;
                }
            }
            for (String sku : skus) {
                // the variations of one multi-variation listing share its listing id
                long listingId = !seed.published() ? 0 : seed.listingId() != null ? seed.listingId() : listingIds.incrementAndGet();
                Item item = new Item(sku, seed, offerIds.incrementAndGet(), listingId);
                items.add(item);
                bySku.put(sku, item);
                byOfferId.put(item.offerId, item);
            }
            total = items.size();
        }
        send(ctx.response(), 200, Map.of("skus", skus, "total", total));
    }

    private static Seed seedRequest(Map<String, Object> body) {
        int count = body.get("count") == null ? 1 : wholeNumber(body.get("count"), "count");
        if (count < 1 || count > MAX_SEED) {
            throw new IllegalArgumentException("count must be 1.." + MAX_SEED + ", got " + count);
        }
        int quantity = body.get("quantity") == null ? 5 : wholeNumber(body.get("quantity"), "quantity");
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must be 0 or more, got " + quantity);
        }
        BigDecimal price;
        try {
            price = new BigDecimal(String.valueOf(body.getOrDefault("price", "19.99")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("price must be an amount such as \"19.99\", got " + body.get("price"));
        }
        if (price.signum() <= 0) {
            throw new IllegalArgumentException("price must be positive, got " + price);
        }
        String prefix = text(body, "skuPrefix", "SBX-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toUpperCase());
        return new Seed(count, prefix, quantity, price, text(body, "currency", "USD"), text(body, "categoryId", "31388"),
                text(body, "title", null), text(body, "description", null), text(body, "ean", null), text(body, "imageUrl", null),
                text(body, "groupId", null), !Boolean.FALSE.equals(body.get("published")),
                body.get("listingId") == null ? null : Long.valueOf(String.valueOf(body.get("listingId"))));
    }

    private void readItem(RoutingContext ctx) {
        Map<String, Object> state;
        synchronized (this) {
            Item item = bySku.get(ctx.pathParam("sku"));
            state = item == null ? null : state(item);
        }
        if (state == null) {
            send(ctx.response(), 404, Map.of("error", "no SKU " + ctx.pathParam("sku") + " on eBay"));
            return;
        }
        send(ctx.response(), 200, state);
    }

    /**
     * A change on eBay's side: {@code {"quantity":3}} (the seller edited stock), {@code {"price":"9.99"}},
     * {@code {"sold":1}} (a buyer bought one), {@code {"reject":{"errorId":25002,"message":..,"times":1}}} or
     * {@code {"reject":null}} (updates of this SKU refused: 25001 is a system error, statusCode 500; anything else
     * a user error, 400), {@code {"silentDrop":true}} (updates answered 200 but not applied).
     */
    private void changeItem(RoutingContext ctx) {
        Map<String, Object> change;
        Map<String, Object> state;
        try {
            change = SandboxHttp.readObject(json, ctx);
            Integer quantity = change.get("quantity") == null ? null : wholeNumber(change.get("quantity"), "quantity");
            Integer sold = change.get("sold") == null ? null : wholeNumber(change.get("sold"), "sold");
            BigDecimal price = change.get("price") == null ? null : new BigDecimal(String.valueOf(change.get("price")));
            Rejection rejection = change.get("reject") instanceof Map<?, ?> reject ? rejection(reject) : null;
            synchronized (this) {
                Item item = bySku.get(ctx.pathParam("sku"));
                if (item == null) {
                    send(ctx.response(), 404, Map.of("error", "no SKU " + ctx.pathParam("sku") + " on eBay"));
                    return;
                }
                if (quantity != null) {
                    item.shipToQuantity = quantity;
                    item.availableQuantity = quantity;
                }
                if (sold != null) {
                    item.shipToQuantity = Math.max(0, item.shipToQuantity - sold);
                    item.availableQuantity = Math.max(0, item.availableQuantity - sold);
                    item.soldQuantity += sold;
                }
                if (price != null) {
                    item.price = price;
                }
                if (change.containsKey("reject")) {
                    item.rejection = rejection;
                }
                if (change.containsKey("silentDrop")) {
                    item.silentDrop = Boolean.TRUE.equals(change.get("silentDrop"));
                }
                state = state(item);
            }
        } catch (IllegalArgumentException e) {
            send(ctx.response(), 400, Map.of("error", e.getMessage()));
            return;
        }
        send(ctx.response(), 200, state);
    }

    private static Rejection rejection(Map<?, ?> reject) {
        int errorId = reject.get("errorId") == null ? 25002 : wholeNumber(reject.get("errorId"), "reject.errorId");
        int statusCode = errorId == 25001 ? 500 : 400;
        String message = reject.get("message") != null ? String.valueOf(reject.get("message"))
                : errorId == 25001 ? "A system error has occurred." : "A user error has occurred.";
        int times = reject.get("times") == null ? -1 : wholeNumber(reject.get("times"), "reject.times");
        return new Rejection(errorId, statusCode, message, times);
    }

    private static Map<String, Object> state(Item item) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("sku", item.sku);
        state.put("quantity", item.shipToQuantity);
        state.put("availableQuantity", item.availableQuantity);
        state.put("soldQuantity", item.soldQuantity);
        state.put("price", item.price.toPlainString());
        state.put("currency", item.currency);
        state.put("offerId", String.valueOf(item.offerId));
        state.put("listingId", item.published() ? String.valueOf(item.listingId) : null);
        state.put("revisions", item.revisions);
        state.put("reject", item.rejection == null ? null : item.rejection.describe());
        state.put("silentDrop", item.silentDrop);
        return state;
    }

    private Map<String, Object> stats() {
        Map<String, Long> byEndpoint = new TreeMap<>();
        calls.forEach((endpoint, count) -> byEndpoint.put(endpoint, count.sum()));
        int size;
        synchronized (this) {
            size = items.size();
        }
        return Map.of("items", size, "calls", byEndpoint, "bulkUpdate",
                Map.of("applied", applied.sum(), "rejected", rejected.sum(), "dropped", dropped.sum()));
    }

    /** One SKU of a published listing, as the Trading API shows it: a variation when the listing is a group's. */
    record PublishedSku(String sku, BigDecimal price, int available) {
    }

    /** A listing of published offers (one SKU, or the items of a group), as the Trading API's active list shows it. */
    record PublishedListing(String listingId, String title, String currency, boolean group, List<PublishedSku> skus) {
    }

    /**
     * The published listings in the seller's order (the items of a group are one multi-variation listing):
     * {@code count} of them after the first {@code skip}, and how many there are in all in {@code total[0]}; listings
     * whose id is in {@code shownElsewhere} (the same listing as the simulated seller holds it) are left out.
     */
    synchronized List<PublishedListing> publishedListings(int skip, int count, int[] total, java.util.Set<String> shownElsewhere) {
        Map<Long, PublishedListing> listings = new LinkedHashMap<>();
        int seen = 0;
        for (Item item : items) {
            if (!item.published() || !shownElsewhere.isEmpty() && shownElsewhere.contains(String.valueOf(item.listingId))) {
                continue;
            }
            if (listings.containsKey(item.listingId)) { // another item of a group already counted
                PublishedListing listing = listings.get(item.listingId);
                if (listing != null) {
                    listing.skus().add(new PublishedSku(item.sku, item.price, item.availableQuantity));
                }
                continue;
            }
            int index = seen++;
            if (index < skip || index >= skip + count) {
                if (item.groupId != null) {
                    listings.put(item.listingId, null); // counted, not shown
                }
                continue;
            }
            PublishedListing listing = new PublishedListing(String.valueOf(item.listingId), item.title == null ? "Sandbox item " + item.sku
                    : item.title, item.currency, item.groupId != null, new ArrayList<>());
            listing.skus().add(new PublishedSku(item.sku, item.price, item.availableQuantity));
            listings.put(item.listingId, listing);
        }
        total[0] = seen;
        return listings.values().stream().filter(Objects::nonNull).toList();
    }

    private synchronized void reset() {
        items.clear();
        bySku.clear();
        byOfferId.clear();
        calls.clear();
        applied.reset();
        rejected.reset();
        dropped.reset();
    }

    // --- helpers -------------------------------------------------------------------------------

    private static boolean allSucceeded(List<Map<String, Object>> responses) {
        return responses.stream().allMatch(r -> Integer.valueOf(200).equals(r.get("statusCode")));
    }

    /** eBay's hrefs are absolute. */
    private static String origin(RoutingContext ctx) {
        URI uri = URI.create(ctx.request().absoluteURI());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Invalid value for " + name + ": " + value + " (allowed " + min + ".." + max + ").");
    }

    private static int wholeNumber(Object value, String field) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException(field + " must be a whole number, got " + value);
    }

    private static long parseLong(Object value) {
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Map<String, Object> body, String field, String fallback) {
        Object value = body.get(field);
        return value == null ? fallback : String.valueOf(value);
    }

    private static Map<String, Object> error(int errorId, String category, String message) {
        return Map.of("errorId", errorId, "domain", "API_INVENTORY", "category", category, "message", message);
    }

    private static Map<String, Object> errors(int errorId, String category, String message) {
        return Map.of("errors", List.of(error(errorId, category, message)));
    }

    private void send(HttpServerResponse response, int status, Object body) {
        SandboxHttp.reply(json, response, status, body);
    }
}

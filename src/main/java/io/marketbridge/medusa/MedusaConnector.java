package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelConnector;
import io.marketbridge.channels.PlanEntry;
import io.marketbridge.channels.PushResult;
import io.marketbridge.pipeline.PermanentFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Odoo's catalog on a Medusa v2 storefront. Variants of one Odoo template are one Medusa product
 * ({@code external_id odoo-template-<id>}), with the template's attributes as options, prices in major
 * units and the stocked quantity at the configured stock location. A batch of up to
 * {@code batch-size} products costs one lookup of the products by external id, one
 * {@code POST /admin/products/batch} for the new products and changed titles (skipped when there are none),
 * for each existing product whose options or variants changed {@code POST /admin/products/{id}/options/batch}
 * and {@code POST /admin/products/{id}/variants/batch} (Medusa 2.16+ refuses options in a product update, and
 * variants there replace the product's list), one lookup of the inventory items by SKU and one
 * {@code POST /admin/inventory-items/location-levels/batch} (skipped when every quantity is right). Medusa
 * applies a batch whole or not at all: a product its error names is set aside as refused and the rest is
 * sent again; an error naming none has the batch's products sent one by one, so one bad product is refused
 * with its reason and the others still go.
 */
@Singleton
public class MedusaConnector implements ChannelConnector {

    static final String CHANNEL = "medusa";
    private static final String PRODUCT_FIELDS = "id,external_id,title,description,status,*options,*options.values,"
            + "*variants,*variants.options,*variants.prices";
    /** Medusa's words for a product handle or a stock level that exists already. */
    private static final Pattern CREATED_MEANWHILE = Pattern.compile("(Product with handle|Inventory level with inventory_item_id).*already exists");
    private static final Logger LOG = Logger.getLogger(MedusaConnector.class);
    private static final String INVENTORY_FIELDS = "id,sku,*location_levels";

    /** A SKU's inventory item and what it holds at the configured location ({@code stocked} null: no level there yet). */
    record StockLevel(String inventoryItemId, Integer stocked) {
    }

    /** What a push would do with a product. */
    public enum Action { CREATE, UPDATE, SKIP, REFUSED }

    /**
     * The dry run's answer for one product.
     *
     * @param differences for UPDATE what differs (title, option values, each variant's price, quantity, ...); for
     *                    REFUSED why the item cannot go to Medusa
     */
    @RegisterForReflection
    public record ProductPlan(String externalId, String title, Action action, List<String> skus, List<String> differences) {
    }

    /** One stocked quantity to set; {@code create} when the item has no level at the location yet. */
    private record LevelChange(String sku, String inventoryItemId, int quantity, boolean create) {
    }

    private final MedusaApi api;
    private final MedusaConfig settings;
    private final String currency;
    /** Medusa's default shipping profile once read; empty when it has none. */
    private volatile String defaultShippingProfile;

    MedusaConnector(MedusaApi api, MedusaConfig config) {
        this.api = api;
        this.settings = config;
        this.currency = settings.currency().toLowerCase(Locale.ROOT);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    @Override
    public int maxBatch() {
        return settings.batchSize();
    }

    /** A product's variants stay in one call: two calls in flight must not both create the same product. */
    @Override
    public List<List<CatalogItem>> batches(List<CatalogItem> items) {
        Map<Long, List<CatalogItem>> byTemplate = new LinkedHashMap<>();
        items.forEach(item -> byTemplate.computeIfAbsent(item.templateId(), t -> new ArrayList<>()).add(item));
        List<List<CatalogItem>> batches = new ArrayList<>();
        List<CatalogItem> batch = new ArrayList<>();
        for (List<CatalogItem> product : byTemplate.values()) {
            if (!batch.isEmpty() && batch.size() + product.size() > maxBatch()) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
            batch.addAll(product);
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    @Override
    public List<PushResult> push(List<CatalogItem> batch) {
        requireEnabled();
        Map<CatalogItem, String> refused = new IdentityHashMap<>();
        Map<String, PushResult> results = new HashMap<>();
        for (List<MedusaProductChange> chunk : chunks(products(batch, refused))) {
            pushChunk(chunk, results);
        }
        return batch.stream().map(item -> refused.containsKey(item) ? PushResult.rejected(item.sku(), refused.get(item))
                : results.get(item.sku())).toList();
    }

    /** Medusa's products can be read a batch at a time: the dry run compares against what Medusa really shows. */
    @Override
    public Optional<List<PlanEntry>> planOnChannel(List<CatalogItem> items) {
        return Optional.of(plan(items).stream().map(product -> new PlanEntry(product.action().name(), product.externalId(), product.skus(),
                product.differences())).toList());
    }

    /** What {@link #push} would do with these items, read from Medusa without writing anything. */
    public List<ProductPlan> plan(List<CatalogItem> items) {
        requireEnabled();
        Map<CatalogItem, String> refused = new IdentityHashMap<>();
        List<ProductPlan> plans = new ArrayList<>();
        for (List<MedusaProductChange> chunk : chunks(products(items, refused))) {
            lookUp(chunk);
            Map<String, StockLevel> levels = stockLevels(chunk.stream().filter(c -> !c.isNew()).flatMap(c -> c.skus().stream()).toList());
            for (MedusaProductChange change : chunk) {
                if (change.isNew()) {
                    plans.add(new ProductPlan(change.externalId, change.title, Action.CREATE, change.skus(), List.of()));
                    continue;
                }
                List<String> differences = new ArrayList<>(change.productDifferences());
                differences.addAll(change.stockDifferences(levels));
                plans.add(new ProductPlan(change.externalId, change.title, differences.isEmpty() ? Action.SKIP : Action.UPDATE,
                        change.skus(), differences));
            }
        }
        refused.forEach((item, reason) -> plans.add(new ProductPlan(MedusaProductChange.externalId(item.templateId()),
                item.templateName(), Action.REFUSED, List.of(item.sku()), List.of(reason))));
        return plans;
    }

    /**
     * For the connection test: empty when Medusa takes the key and knows the stock location, else what to fix.
     * A Medusa that cannot be reached is thrown as a transient failure.
     */
    public Optional<String> connectionProblem() {
        String location = settings.stockLocationId().orElse("");
        MedusaApi.Reply reply = api.get("/admin/stock-locations/" + MedusaApi.encode(location) + "?fields=id,name");
        if (reply.ok()) {
            return Optional.empty();
        }
        if (reply.status() == 401) {
            return Optional.of("Medusa refused the secret API key: check marketbridge.medusa.api-key (HTTP 401: " + reply.reason() + ")");
        }
        if (reply.status() == 404 && !reply.type().isEmpty()) {
            return Optional.of("Medusa has no stock location " + location + ": check marketbridge.medusa.stock-location-id (HTTP 404: "
                    + reply.reason() + ")");
        }
        return Optional.of(MedusaApi.failure(reply, "reading stock location " + location).getMessage());
    }

    // --- push ----------------------------------------------------------------------------------

    private void pushChunk(List<MedusaProductChange> chunk, Map<String, PushResult> results) {
        lookUp(chunk);
        Set<MedusaProductChange> refused = new HashSet<>();
        BiConsumer<MedusaProductChange, MedusaApi.Reply> refuse = (product, reply) -> {
            refused.add(product);
            product.skus().forEach(sku -> results.put(sku, refusal(sku, reply)));
        };
        List<MedusaProductChange> toWrite = chunk.stream().filter(c -> c.isNew() || c.productFieldsChanged()).toList();
        if (!toWrite.isEmpty()) {
            sendBatch("/admin/products/batch", "writing products", toWrite, MedusaProductChange::names, this::productsRequest, refuse);
        }
        for (MedusaProductChange product : chunk) {
            if (product.isNew() || refused.contains(product)) {
                continue;
            }
            String path = "/admin/products/" + MedusaApi.encode(product.productId());
            Optional<Map<String, Object>> options = product.optionsRequest();
            if (options.isPresent() && !sendOne(path + "/options/batch", "adding options of " + product.externalId, options.get(), product, refuse)) {
                continue;
            }
            product.variantsRequest().ifPresent(variants ->
                    sendOne(path + "/variants/batch", "writing variants of " + product.externalId, variants, product, refuse));
        }
        List<MedusaProductChange> shown = chunk.stream().filter(c -> !refused.contains(c)).toList();

        Map<String, StockLevel> levels = stockLevels(shown.stream().flatMap(c -> c.skus().stream()).toList());
        List<LevelChange> levelChanges = new ArrayList<>();
        for (MedusaProductChange product : shown) {
            for (CatalogItem item : product.items) {
                StockLevel level = levels.get(item.sku());
                int quantity = MedusaProductChange.quantity(item);
                if (level == null) {
                    results.put(item.sku(), PushResult.rejected(item.sku(), "Medusa has no inventory item with SKU " + item.sku()
                            + ", so its stock cannot be set (is the variant's inventory managed elsewhere?)"));
                } else if (level.stocked() == null || level.stocked() != quantity) {
                    levelChanges.add(new LevelChange(item.sku(), level.inventoryItemId(), quantity, level.stocked() == null));
                }
            }
        }
        if (!levelChanges.isEmpty()) {
            sendBatch("/admin/inventory-items/location-levels/batch", "setting stocked quantities", levelChanges,
                    change -> Set.of(change.sku(), change.inventoryItemId()), this::levelsRequest,
                    (change, reply) -> results.put(change.sku(), refusal(change.sku(), reply)));
        }
        shown.forEach(product -> product.skus().forEach(sku -> results.putIfAbsent(sku, PushResult.accepted(sku))));
    }

    /**
     * POSTs one product's request; a refusal (see {@link #isRefusal}) refuses that product alone, anything else that
     * is not a success is thrown.
     *
     * @return whether Medusa took it
     */
    private boolean sendOne(String path, String doing, Map<String, Object> body, MedusaProductChange product,
            BiConsumer<MedusaProductChange, MedusaApi.Reply> refuse) {
        MedusaApi.Reply reply = api.post(path, body);
        if (reply.ok()) {
            return true;
        }
        if (!isRefusal(reply)) {
            throw MedusaApi.failure(reply, doing);
        }
        refuse.accept(product, reply);
        return false;
    }

    private Map<String, Object> productsRequest(List<MedusaProductChange> products) {
        Map<String, Object> request = new LinkedHashMap<>();
        Optional<String> shippingProfile = products.stream().anyMatch(MedusaProductChange::isNew) ? shippingProfile() : Optional.empty();
        request.put("create", products.stream().filter(MedusaProductChange::isNew)
                .map(p -> p.createRequest(settings.salesChannelId(), shippingProfile)).toList());
        request.put("update", products.stream().filter(p -> !p.isNew()).map(MedusaProductChange::updateRequest).toList());
        return request;
    }

    /**
     * The shipping profile of new products: the configured one, else Medusa's default profile (read once; Medusa
     * makes "Default Shipping Profile" when it migrates). Without one a product cannot be shipped, so no cart offers it
     * a shipping option.
     */
    private Optional<String> shippingProfile() {
        if (settings.shippingProfileId().isPresent()) {
            return settings.shippingProfileId();
        }
        String known = defaultShippingProfile;
        if (known == null) {
            JsonNode profiles = api.require(api.get("/admin/shipping-profiles?type=default&fields=id,name"), "reading Medusa's default shipping profile")
                    .path("shipping_profiles");
            known = profiles.path(0).path("id").asText("");
            if (known.isEmpty()) {
                LOG.warn("Medusa has no default shipping profile and marketbridge.medusa.shipping-profile-id is not set:"
                        + " new products get none, and shoppers' carts offer them no shipping option");
            }
            defaultShippingProfile = known;
        }
        return known.isEmpty() ? Optional.empty() : Optional.of(known);
    }

    private Map<String, Object> levelsRequest(List<LevelChange> changes) {
        String location = settings.stockLocationId().orElseThrow();
        Function<LevelChange, Map<String, Object>> level = change -> Map.of("inventory_item_id", change.inventoryItemId(),
                "location_id", location, "stocked_quantity", change.quantity());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("create", changes.stream().filter(LevelChange::create).map(level).toList());
        request.put("update", changes.stream().filter(change -> !change.create()).map(level).toList());
        return request;
    }

    /**
     * POSTs a batch. When Medusa refuses it naming some of its units (by SKU or id), those are set aside and the rest
     * is sent again; when its refusal names none of them (Medusa applies a batch whole or not at all, and its message
     * may name no product), each unit is sent alone, so only the ones Medusa refuses are refused, each with its own
     * reason. 401, 408, 429, 5xx and an unreachable Medusa are thrown.
     *
     * @return the units Medusa accepted
     */
    private <T> List<T> sendBatch(String path, String doing, List<T> units, Function<T, Set<String>> names,
            Function<List<T>, Map<String, Object>> request, BiConsumer<T, MedusaApi.Reply> refuse) {
        List<T> remaining = new ArrayList<>(units);
        while (!remaining.isEmpty()) {
            MedusaApi.Reply reply = api.post(path, request.apply(remaining));
            if (reply.ok()) {
                return remaining;
            }
            if (!isRefusal(reply)) {
                throw MedusaApi.failure(reply, doing);
            }
            List<T> named = remaining.stream().filter(unit -> mentions(reply.message(), names.apply(unit))).toList();
            if (named.isEmpty()) {
                return oneByOne(path, doing, remaining, request, refuse, reply);
            }
            named.forEach(unit -> refuse.accept(unit, reply));
            remaining.removeAll(named);
        }
        return remaining;
    }

    /** The units of a batch Medusa refused without naming any, each sent alone (a lone unit takes the refusal). */
    private <T> List<T> oneByOne(String path, String doing, List<T> units, Function<List<T>, Map<String, Object>> request,
            BiConsumer<T, MedusaApi.Reply> refuse, MedusaApi.Reply batchReply) {
        if (units.size() == 1) {
            refuse.accept(units.get(0), batchReply);
            return List.of();
        }
        List<T> accepted = new ArrayList<>();
        for (T unit : units) {
            MedusaApi.Reply reply = api.post(path, request.apply(List.of(unit)));
            if (reply.ok()) {
                accepted.add(unit);
            } else if (isRefusal(reply)) {
                refuse.accept(unit, reply);
            } else {
                throw MedusaApi.failure(reply, doing);
            }
        }
        return accepted;
    }

    /** Medusa's own refusal of what was sent ({@code {type, message}}, 4xx but 401, 408 and 429), not an outage. */
    private static boolean isRefusal(MedusaApi.Reply reply) {
        return !reply.type().isEmpty() && reply.status() >= 400 && reply.status() < 500 && reply.status() != 401
                && reply.status() != 408 && reply.status() != 429;
    }

    /**
     * Something the batch named went away in Medusa meanwhile (not_found), or the product or stock level it was to
     * create was created meanwhile by another push: the next push reads it again. Anything else Medusa refuses (a
     * variant SKU another product holds, say) is refused.
     */
    private static PushResult refusal(String sku, MedusaApi.Reply reply) {
        String reason = "Medusa: " + reply.reason();
        boolean changedMeanwhile = "not_found".equals(reply.type()) || CREATED_MEANWHILE.matcher(reply.message()).find();
        return changedMeanwhile ? PushResult.retry(sku, reason) : PushResult.rejected(sku, reason);
    }

    /** Whether the message names one of these as a whole word (SKU MB-1 is not named by "MB-10"). */
    private static boolean mentions(String message, Set<String> names) {
        return names.stream().anyMatch(name -> Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])")
                .matcher(message).find());
    }

    // --- reads ---------------------------------------------------------------------------------

    /** One call: the chunk's products by external id, each change then compared with its own. */
    private void lookUp(List<MedusaProductChange> chunk) {
        List<String> externalIds = chunk.stream().map(c -> c.externalId).toList();
        JsonNode answer = api.require(api.get("/admin/products?limit=" + externalIds.size() + "&fields=" + MedusaApi.encode(PRODUCT_FIELDS)
                + "&" + MedusaApi.anyOf("external_id", externalIds)), "looking up products by external_id");
        Map<String, MedusaProduct> byExternalId = new HashMap<>();
        for (JsonNode product : answer.path("products")) {
            MedusaProduct read = MedusaProduct.from(product);
            if (read.externalId() != null) {
                byExternalId.putIfAbsent(read.externalId(), read);
            }
        }
        chunk.forEach(change -> change.compareWith(byExternalId.get(change.externalId)));
    }

    /** One call: the SKUs' inventory items and their stocked quantity at the configured location. */
    private Map<String, StockLevel> stockLevels(List<String> skus) {
        if (skus.isEmpty()) {
            return Map.of();
        }
        String location = settings.stockLocationId().orElseThrow();
        JsonNode answer = api.require(api.get("/admin/inventory-items?limit=" + skus.size() + "&fields=" + MedusaApi.encode(INVENTORY_FIELDS)
                + "&" + MedusaApi.anyOf("sku", skus)), "looking up inventory items by SKU");
        Map<String, StockLevel> levels = new HashMap<>();
        for (JsonNode item : answer.path("inventory_items")) {
            Integer stocked = null;
            for (JsonNode level : item.path("location_levels")) {
                if (location.equals(level.path("location_id").asText())) {
                    stocked = level.path("stocked_quantity").asInt();
                }
            }
            if (item.hasNonNull("sku") && item.hasNonNull("id")) {
                levels.putIfAbsent(item.path("sku").asText(), new StockLevel(item.path("id").asText(), stocked));
            }
        }
        return levels;
    }

    // --- batching ------------------------------------------------------------------------------

    /** The items as products, one per template; items Medusa cannot take (and repeated SKUs) go to {@code refused}. */
    private List<MedusaProductChange> products(List<CatalogItem> items, Map<CatalogItem, String> refused) {
        Map<Long, List<CatalogItem>> byTemplate = new LinkedHashMap<>();
        Set<String> skus = new HashSet<>();
        for (CatalogItem item : items) {
            if (item.sku() == null || item.sku().isBlank()) {
                refused.put(item, "no SKU (Odoo internal reference): Medusa's variants are matched by SKU");
            } else if (!skus.add(item.sku())) {
                refused.put(item, "SKU " + item.sku() + " is in the batch twice; the first one is sent");
            } else {
                byTemplate.computeIfAbsent(item.templateId(), t -> new ArrayList<>()).add(item);
            }
        }
        List<MedusaProductChange> products = new ArrayList<>();
        byTemplate.forEach((templateId, variants) -> MedusaProductChange.of(templateId, variants, currency, refused).ifPresent(products::add));
        return products;
    }

    private List<List<MedusaProductChange>> chunks(List<MedusaProductChange> products) {
        List<List<MedusaProductChange>> chunks = new ArrayList<>();
        int size = Math.max(1, settings.batchSize());
        for (int i = 0; i < products.size(); i += size) {
            chunks.add(products.subList(i, Math.min(products.size(), i + size)));
        }
        return chunks;
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new PermanentFailure(CHANNEL, "the Medusa channel is off (marketbridge.medusa.enabled=false)");
        }
    }
}

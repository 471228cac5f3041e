package io.marketbridge.sandbox.medusa;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of a simulated Medusa v2 store (protocols/medusa.md): products with options and variants
 * (prices in major units), an inventory item per variant with managed inventory, and its levels per
 * stock location. Batches are validated whole before anything is applied, as Medusa's workflows roll
 * back: one bad product fails the call with Medusa's {@code {type, message}}. Records are kept small
 * (arrays, no per-record maps beyond what Medusa itself holds), so 100,000 variants fit a test JVM.
 * Callers hold the lock: every method is synchronized by {@link MedusaSandbox}.
 */
final class SimulatedMedusa {

    static final String SANDBOX_LOCATION = "sloc_sandbox";
    /** The "Default Shipping Profile" Medusa makes when it migrates. */
    static final String DEFAULT_SHIPPING_PROFILE = "sp_sandbox_default";
    /** What Medusa 2.16+ answers (400 invalid_data) to a product update that carries {@code options}. */
    static final String OPTIONS_REMOVED = "Invalid request: The 'options' property was removed in version 2.16.0. "
            + "Please remove it from your request payload.";

    /** A Medusa error answer: {@code {"type": type, "message": message}} with this status. */
    static final class MedusaError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        MedusaError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        static MedusaError invalid(String message) {
            return new MedusaError(400, "invalid_data", message);
        }

        static MedusaError notFound(String message) {
            return new MedusaError(404, "not_found", message);
        }

        Map<String, Object> body() {
            return Map.of("type", type, "message", getMessage());
        }
    }

    static final class Product {
        final String id;
        final long createdAt;
        long updatedAt;
        String externalId;
        String title;
        String handle;
        String description;
        String status;
        String shippingProfileId;
        Map<String, Object> metadata;
        List<Option> options = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();

        Product(String id, long now) {
            this.id = id;
            this.createdAt = now;
            this.updatedAt = now;
        }
    }

    static final class Option {
        final String id;
        String title;
        String[] values;
        boolean exclusive = true;

        Option(String id, String title, String[] values) {
            this.id = id;
            this.title = title;
            this.values = values;
        }
    }

    static final class Variant {
        final String id;
        final Product product;
        final long createdAt;
        long updatedAt;
        String sku;
        String title;
        boolean manageInventory;
        /** Option title → value. */
        Map<String, String> options;
        Price[] prices;
        Map<String, Object> metadata;

        Variant(String id, Product product, long now) {
            this.id = id;
            this.product = product;
            this.createdAt = now;
            this.updatedAt = now;
        }
    }

    /** Ids of prices and levels are formatted when shown, not kept as strings: 100,000 of each stay small. */
    record Price(long seq, String currencyCode, BigDecimal amount) {
        String id() {
            return formatId("price", seq);
        }
    }

    static final class InventoryItem {
        final String id;
        final String sku;
        final String title;
        final long createdAt;
        Level[] levels = new Level[0];

        InventoryItem(String id, String sku, String title, long now) {
            this.id = id;
            this.sku = sku;
            this.title = title;
            this.createdAt = now;
        }

        Level level(String locationId) {
            for (Level level : levels) {
                if (level.locationId.equals(locationId)) {
                    return level;
                }
            }
            return null;
        }
    }

    static final class Level {
        final long seq;
        final String locationId;
        int stocked;
        int reserved;
        long updatedAt;

        Level(long seq, String locationId, int stocked, long now) {
            this.seq = seq;
            this.locationId = locationId;
            this.stocked = stocked;
            this.updatedAt = now;
        }

        String id() {
            return formatId("ilev", seq);
        }
    }

    record Location(String id, String name) {
    }

    /** Armed per SKU: products carrying the SKU are refused with this message; {@code times} < 0 until cleared. */
    record Rejection(String message, int times) {
    }

    private static final String ID_TAG = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36).toUpperCase(Locale.ROOT);
    private final AtomicLong ids = new AtomicLong();
    final Map<String, Product> products = new LinkedHashMap<>();
    private final Map<String, Object> byExternalId = new HashMap<>();
    private final Map<String, Product> byHandle = new HashMap<>();
    final Map<String, Variant> variantsBySku = new HashMap<>();
    final Map<String, InventoryItem> inventoryById = new LinkedHashMap<>();
    final Map<String, InventoryItem> inventoryBySku = new HashMap<>();
    final Map<String, Location> locations = new LinkedHashMap<>(Map.of(SANDBOX_LOCATION, new Location(SANDBOX_LOCATION, "Sandbox warehouse")));
    final Map<String, Rejection> rejections = new HashMap<>();
    final Set<String> silentDrops = new HashSet<>();
    long dropped;

    void clear() {
        products.clear();
        byExternalId.clear();
        byHandle.clear();
        variantsBySku.clear();
        inventoryById.clear();
        inventoryBySku.clear();
        rejections.clear();
        silentDrops.clear();
        dropped = 0;
    }

    int variantCount() {
        return variantsBySku.size();
    }

    /** Medusa's ids: a prefix and a ULID-like, unique suffix. */
    String newId(String prefix) {
        return formatId(prefix, ids.incrementAndGet());
    }

    private static String formatId(String prefix, long seq) {
        return prefix + "_01" + ID_TAG + Long.toString(seq, 36).toUpperCase(Locale.ROOT);
    }

    // --- reads ---------------------------------------------------------------------------------

    List<Product> productsWithExternalIds(Collection<String> externalIds) {
        List<Product> found = new ArrayList<>();
        for (String externalId : externalIds) {
            Object entry = byExternalId.get(externalId);
            if (entry instanceof Product product) {
                found.add(product);
            } else if (entry instanceof List<?> several) {
                several.forEach(p -> found.add((Product) p));
            }
        }
        found.sort((a, b) -> Long.compare(a.createdAt, b.createdAt));
        return found;
    }

    // --- POST /admin/products/batch ------------------------------------------------------------

    /** Validates the whole batch, then applies it; returns {@code {created, updated, deleted}} products. */
    Map<String, Object> batchProducts(Map<String, Object> body, long now) {
        List<Map<String, Object>> create = objects(body.get("create"), "create");
        List<Map<String, Object>> update = objects(body.get("update"), "update");
        List<String> delete = strings(body.get("delete"), "delete");
        validateProducts(create, update, delete);

        List<Product> created = new ArrayList<>();
        for (Map<String, Object> request : create) {
            created.add(create(request, now));
        }
        List<Product> updated = new ArrayList<>();
        for (Map<String, Object> request : update) {
            updated.add(update(products.get((String) request.get("id")), request, now));
        }
        for (String id : delete) {
            remove(products.get(id));
        }
        return Map.of("created", created.stream().map(this::product).toList(), "updated", updated.stream().map(this::product).toList(),
                "deleted", Map.of("ids", delete, "object", "product", "deleted", true));
    }

    /** Schema first (which field of which entry), then what Medusa's workflow checks: ids exist, handles and SKUs unique, option values known. */
    private void validateProducts(List<Map<String, Object>> create, List<Map<String, Object>> update, List<String> delete) {
        for (int i = 0; i < create.size(); i++) {
            Map<String, Object> product = create.get(i);
            String at = "create, " + i;
            requireText(product, "title", at);
            productSchema(product, at, false);
        }
        for (int i = 0; i < update.size(); i++) {
            Map<String, Object> product = update.get(i);
            String at = "update, " + i;
            requireText(product, "id", at);
            if (product.containsKey("options")) {
                throw MedusaError.invalid(OPTIONS_REMOVED);
            }
            if (product.containsKey("title")) {
                requireText(product, "title", at);
            }
            productSchema(product, at, true);
        }
        for (String id : delete) {
            if (!products.containsKey(id)) {
                throw MedusaError.notFound("Product with id: " + id + " was not found");
            }
        }
        List<String> missing = update.stream().map(p -> (String) p.get("id")).filter(id -> !products.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw MedusaError.notFound("Unable to update the products with ids: " + String.join(", ", missing));
        }
        Map<String, String> handles = new HashMap<>(); // handle → product id ("" for a new one) in this batch
        Map<String, String> skus = new HashMap<>(); // sku → variant id ("" for a new one) in this batch
        for (Map<String, Object> product : update) {
            Product existing = products.get((String) product.get("id"));
            if (product.get("handle") instanceof String handle) {
                claimHandle(handles, handle, existing.id);
            }
            validateVariants(product, existing, skus);
        }
        for (Map<String, Object> product : create) {
            String handle = product.get("handle") instanceof String h && !h.isBlank() ? h : slug(String.valueOf(product.get("title")));
            claimHandle(handles, handle, "");
            validateVariants(product, null, skus);
        }
        checkSkus(skus, update, delete);
    }

    /** Each SKU of the request ({@code sku → variant id}, "" for a new variant) is free or held by that variant. */
    private void checkSkus(Map<String, String> skus, List<Map<String, Object>> update, List<String> delete) {
        for (Map.Entry<String, String> sku : skus.entrySet()) {
            Variant holder = variantsBySku.get(sku.getKey());
            boolean movedAway = holder != null && (deletedIn(update, holder) || delete.contains(holder.product.id));
            if (holder != null && !holder.id.equals(sku.getValue()) && !movedAway) {
                throw MedusaError.invalid("Product variant with sku: " + sku.getKey() + ", already exists.");
            }
        }
    }

    /** Whether an update of the variant's product lists variants without it (so it is deleted by this batch). */
    private static boolean deletedIn(List<Map<String, Object>> update, Variant variant) {
        return update.stream().anyMatch(p -> variant.product.id.equals(p.get("id")) && p.get("variants") instanceof List<?> variants
                && variants.stream().noneMatch(v -> v instanceof Map<?, ?> m && variant.id.equals(m.get("id"))));
    }

    private void claimHandle(Map<String, String> handles, String handle, String productId) {
        Product holder = byHandle.get(handle);
        if ((holder != null && !holder.id.equals(productId)) || handles.putIfAbsent(handle, productId) != null) {
            throw MedusaError.invalid("Product with handle: " + handle + ", already exists.");
        }
    }

    private void productSchema(Map<String, Object> product, String at, boolean update) {
        if (product.containsKey("status") && !List.of("draft", "proposed", "published", "rejected").contains(product.get("status"))) {
            throw MedusaError.invalid("Invalid request: Expected: 'draft, proposed, published, rejected' for field '" + at
                    + ", status', but got: '" + product.get("status") + "'");
        }
        optionalText(product, "external_id", at);
        optionalText(product, "description", at);
        optionalText(product, "handle", at);
        if (product.containsKey("metadata") && product.get("metadata") != null && !(product.get("metadata") instanceof Map)) {
            throw MedusaError.invalid("Invalid request: Expected type: 'object' for field '" + at + ", metadata', got: '"
                    + typeOf(product.get("metadata")) + "'");
        }
        List<Map<String, Object>> options = objects(product.get("options"), at + ", options");
        for (int j = 0; j < options.size(); j++) {
            Map<String, Object> option = options.get(j);
            if (!update || !option.containsKey("id")) {
                requireText(option, "title", at + ", options, " + j);
            }
            List<String> values = strings(option.get("values"), at + ", options, " + j + ", values");
            if (!update && values.isEmpty()) {
                throw MedusaError.invalid("Invalid request: Field '" + at + ", options, " + j + ", values' is required");
            }
        }
        List<Map<String, Object>> variants = objects(product.get("variants"), at + ", variants");
        for (int j = 0; j < variants.size(); j++) {
            variantSchema(variants.get(j), at + ", variants, " + j, update);
        }
    }

    private static void variantSchema(Map<String, Object> variant, String vat, boolean update) {
        if (!update || !variant.containsKey("id")) {
            requireText(variant, "title", vat);
        }
        optionalText(variant, "sku", vat);
        if (variant.containsKey("manage_inventory") && !(variant.get("manage_inventory") instanceof Boolean)) {
            throw MedusaError.invalid("Invalid request: Expected type: 'boolean' for field '" + vat + ", manage_inventory', got: '"
                    + typeOf(variant.get("manage_inventory")) + "'");
        }
        if (variant.containsKey("options") && !(variant.get("options") instanceof Map<?, ?>)) {
            throw MedusaError.invalid("Invalid request: Expected type: 'object' for field '" + vat + ", options', got: '"
                    + typeOf(variant.get("options")) + "'");
        }
        List<Map<String, Object>> prices = objects(variant.get("prices"), vat + ", prices");
        for (int k = 0; k < prices.size(); k++) {
            String pat = vat + ", prices, " + k;
            Map<String, Object> price = prices.get(k);
            if (!price.containsKey("id") || price.containsKey("currency_code")) {
                requireText(price, "currency_code", pat);
            }
            if (!price.containsKey("id") || price.containsKey("amount")) {
                if (!(price.get("amount") instanceof Number amount)) { // Medusa 2.21 says "required" for a string amount too
                    throw MedusaError.invalid("Invalid request: Field '" + pat + ", amount' is required");
                }
                if (new BigDecimal(amount.toString()).signum() < 0) {
                    throw MedusaError.invalid("Invalid request: Value for field '" + pat + ", amount' must be 0 or more");
                }
            }
        }
    }

    /** The product's options after this request, its variants' option values against them, SKU rules and uniqueness. */
    private void validateVariants(Map<String, Object> request, Product existing, Map<String, String> skus) {
        Map<String, Set<String>> options = new LinkedHashMap<>();
        if (request.get("options") instanceof List<?> given) {
            for (Object entry : given) {
                Map<?, ?> option = (Map<?, ?>) entry;
                String title = option.get("title") instanceof String t ? t : null;
                if (option.get("id") != null) {
                    Option known = existing == null ? null : findOption(existing, String.valueOf(option.get("id")));
                    if (known == null) {
                        throw MedusaError.notFound("Product option with id: " + option.get("id") + " was not found");
                    }
                    title = title == null ? known.title : title;
                }
                Set<String> values = new HashSet<>(strings(option.get("values"), "options"));
                if (options.put(title, values) != null) {
                    throw MedusaError.invalid("Option with title " + title + " already exists for product " + request.get("title"));
                }
            }
        } else if (existing != null) {
            existing.options.forEach(o -> options.put(o.title, Set.of(o.values)));
        }
        if (!(request.get("variants") instanceof List<?> variants)) {
            return;
        }
        for (Object entry : variants) {
            Map<?, ?> variant = (Map<?, ?>) entry;
            Variant known = null;
            if (variant.get("id") != null) {
                known = existing == null ? null : findVariant(existing, String.valueOf(variant.get("id")));
                if (known == null) {
                    throw MedusaError.notFound("Product variant with id: " + variant.get("id") + " was not found");
                }
            }
            String sku = variant.get("sku") instanceof String s ? s : known == null ? null : known.sku;
            String name = sku != null ? sku : String.valueOf(variant.get("title") != null ? variant.get("title") : known.title);
            if (variant.get("options") instanceof Map<?, ?> values) {
                if (values.size() != options.size()) {
                    throw MedusaError.invalid("Product has " + options.size() + " option values but there were " + values.size()
                            + " provided option values for the variant: " + variantTitle(variant, known) + ".");
                }
                for (Map.Entry<?, ?> value : values.entrySet()) {
                    Set<String> allowed = options.get(String.valueOf(value.getKey()));
                    if (allowed == null) {
                        throw MedusaError.invalid("Option " + value.getKey() + " does not exist on the product: cannot set it on variant " + name);
                    }
                    if (!allowed.contains(String.valueOf(value.getValue()))) {
                        throw MedusaError.invalid("Option value " + value.getValue() + " does not exist for option " + value.getKey());
                    }
                }
            } else if (known == null && !options.isEmpty()) {
                throw MedusaError.invalid("Product has " + options.size() + " option values but there were 0 provided option values for the variant: "
                        + variantTitle(variant, known) + ".");
            }
            if (sku != null && (known == null || variant.containsKey("sku") || variant.size() > 1)) {
                Rejection rule = rejections.get(sku);
                if (rule != null) {
                    consume(sku, rule);
                    throw MedusaError.invalid(rule.message());
                }
            }
            if (sku != null && skus.put(sku, known == null ? "" : known.id) != null) {
                throw MedusaError.invalid("Product variant with sku: " + sku + ", already exists.");
            }
        }
    }

    private static String variantTitle(Map<?, ?> variant, Variant known) {
        return variant.get("title") != null ? String.valueOf(variant.get("title")) : known == null ? "" : known.title;
    }

    private void consume(String sku, Rejection rule) {
        if (rule.times() > 0) {
            if (rule.times() == 1) {
                rejections.remove(sku);
            } else {
                rejections.put(sku, new Rejection(rule.message(), rule.times() - 1));
            }
        }
    }

    private Product create(Map<String, Object> request, long now) {
        Product product = new Product(newId("prod"), now);
        product.title = (String) request.get("title");
        product.handle = request.get("handle") instanceof String h && !h.isBlank() ? h : slug(product.title);
        product.description = (String) request.get("description");
        product.status = request.get("status") instanceof String s ? s : "draft";
        product.shippingProfileId = request.get("shipping_profile_id") instanceof String p ? p : null;
        product.metadata = metadata(request.get("metadata"), null);
        setExternalId(product, (String) request.get("external_id"));
        for (Object option : (List<?>) request.getOrDefault("options", List.of())) {
            Map<?, ?> given = (Map<?, ?>) option;
            product.options.add(new Option(newId("opt"), String.valueOf(given.get("title")), strings(given.get("values"), "").toArray(String[]::new)));
        }
        for (Object variant : (List<?>) request.getOrDefault("variants", List.of())) {
            product.variants.add(newVariant(product, (Map<?, ?>) variant, now));
        }
        products.put(product.id, product);
        byHandle.put(product.handle, product);
        return product;
    }

    private Product update(Product product, Map<String, Object> request, long now) {
        boolean changed = false;
        if (request.get("title") instanceof String title && !title.equals(product.title)) {
            product.title = title;
            changed = true;
        }
        if (request.containsKey("description") && !Objects.equals(request.get("description"), product.description)) {
            product.description = (String) request.get("description");
            changed = true;
        }
        if (request.get("status") instanceof String status && !status.equals(product.status)) {
            product.status = status;
            changed = true;
        }
        if (request.get("handle") instanceof String handle && !handle.equals(product.handle)) {
            byHandle.remove(product.handle);
            product.handle = handle;
            byHandle.put(handle, product);
            changed = true;
        }
        if (request.containsKey("external_id") && !Objects.equals(request.get("external_id"), product.externalId)) {
            unsetExternalId(product);
            setExternalId(product, (String) request.get("external_id"));
            changed = true;
        }
        if (request.containsKey("metadata")) {
            product.metadata = metadata(request.get("metadata"), product.metadata);
            changed = true;
        }
        if (request.get("variants") instanceof List<?> given) { // the product's variants become these
            List<Variant> variants = new ArrayList<>();
            for (Object entry : given) {
                Map<?, ?> variant = (Map<?, ?>) entry;
                Variant known = variant.get("id") == null ? null : findVariant(product, String.valueOf(variant.get("id")));
                if (known == null) {
                    variants.add(newVariant(product, variant, now));
                    changed = true;
                } else {
                    changeVariant(known, variant, now);
                    variants.add(known);
                }
            }
            for (Variant old : product.variants) {
                if (!variants.contains(old)) {
                    forget(old);
                    changed = true;
                }
            }
            product.variants = variants;
        }
        if (changed) {
            product.updatedAt = now;
        }
        return product;
    }

    private Variant newVariant(Product product, Map<?, ?> request, long now) {
        Variant variant = new Variant(newId("variant"), product, now);
        variant.title = String.valueOf(request.get("title"));
        variant.sku = request.get("sku") instanceof String s ? s : null;
        variant.manageInventory = Boolean.TRUE.equals(request.get("manage_inventory"));
        variant.options = options(request.get("options"));
        variant.prices = prices(request.get("prices"), new Price[0]);
        variant.metadata = metadata(request.get("metadata"), null);
        if (variant.sku != null) {
            variantsBySku.put(variant.sku, variant);
        }
        if (variant.manageInventory) { // Medusa's createProductsWorkflow makes the variant's inventory item
            InventoryItem item = new InventoryItem(newId("iitem"), variant.sku, variant.title, now);
            inventoryById.put(item.id, item);
            if (item.sku != null) {
                inventoryBySku.put(item.sku, item);
            }
        }
        return variant;
    }

    /** Applies what differs; a silently dropped SKU keeps its prices while the call still succeeds. */
    private void changeVariant(Variant variant, Map<?, ?> request, long now) {
        boolean changed = false;
        if (request.get("title") instanceof String title && !title.equals(variant.title)) {
            variant.title = title;
            changed = true;
        }
        if (request.containsKey("sku") && !Objects.equals(request.get("sku"), variant.sku)) {
            if (variant.sku != null) {
                variantsBySku.remove(variant.sku);
            }
            variant.sku = (String) request.get("sku");
            if (variant.sku != null) {
                variantsBySku.put(variant.sku, variant);
            }
            changed = true;
        }
        if (request.get("manage_inventory") instanceof Boolean manage && manage != variant.manageInventory) {
            variant.manageInventory = manage;
            changed = true;
        }
        if (request.get("options") instanceof Map<?, ?> && !options(request.get("options")).equals(variant.options)) {
            variant.options = options(request.get("options"));
            changed = true;
        }
        if (request.get("prices") instanceof List<?>) {
            Price[] prices = prices(request.get("prices"), variant.prices);
            if (!samePrices(prices, variant.prices)) {
                if (variant.sku != null && silentDrops.contains(variant.sku)) {
                    dropped++;
                } else {
                    variant.prices = prices;
                    changed = true;
                }
            }
        }
        if (request.containsKey("metadata")) {
            Map<String, Object> metadata = metadata(request.get("metadata"), variant.metadata);
            changed |= !Objects.equals(metadata, variant.metadata);
            variant.metadata = metadata;
        }
        if (changed) {
            variant.updatedAt = now;
        }
    }

    private static boolean samePrices(Price[] a, Price[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].currencyCode().equals(b[i].currencyCode()) || a[i].amount().compareTo(b[i].amount()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The variant's prices become these; a given id keeps that price's id. */
    private Price[] prices(Object given, Price[] existing) {
        if (!(given instanceof List<?> list)) {
            return existing;
        }
        Price[] prices = new Price[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Map<?, ?> price = (Map<?, ?>) list.get(i);
            Price known = null;
            for (Price p : existing) {
                if (p.id().equals(price.get("id"))) {
                    known = p;
                }
            }
            String currency = price.get("currency_code") instanceof String c ? c.toLowerCase(Locale.ROOT).intern() : known == null ? null : known.currencyCode();
            BigDecimal amount = price.get("amount") instanceof Number n ? new BigDecimal(n.toString()) : known == null ? null : known.amount();
            prices[i] = new Price(known == null ? ids.incrementAndGet() : known.seq(), currency, amount);
        }
        return prices;
    }

    private void remove(Product product) {
        product.variants.forEach(this::forget);
        products.remove(product.id);
        byHandle.remove(product.handle);
        unsetExternalId(product);
    }

    /** A deleted variant takes its inventory item (and its levels) with it. */
    private void forget(Variant variant) {
        if (variant.sku != null) {
            variantsBySku.remove(variant.sku);
            InventoryItem item = inventoryBySku.remove(variant.sku);
            if (item != null) {
                inventoryById.remove(item.id);
            }
        }
    }

    private void setExternalId(Product product, String externalId) {
        product.externalId = externalId;
        if (externalId == null) {
            return;
        }
        Object entry = byExternalId.get(externalId);
        if (entry == null) {
            byExternalId.put(externalId, product); // almost always one product per external id: no list
        } else {
            List<Object> several = new ArrayList<>(entry instanceof List<?> l ? l : List.of(entry));
            several.add(product);
            byExternalId.put(externalId, several);
        }
    }

    private void unsetExternalId(Product product) {
        if (product.externalId == null) {
            return;
        }
        Object entry = byExternalId.get(product.externalId);
        if (entry == product) {
            byExternalId.remove(product.externalId);
        } else if (entry instanceof List<?> several) {
            List<Object> rest = new ArrayList<>(several);
            rest.remove(product);
            byExternalId.put(product.externalId, rest.size() == 1 ? rest.get(0) : rest);
        }
    }

    // --- POST /admin/products/{id} -------------------------------------------------------------

    /** One product's update, checked as in a batch; answers {@code {product}}. */
    Map<String, Object> updateProduct(String id, Map<String, Object> request, long now) {
        if (request.containsKey("options")) {
            throw MedusaError.invalid(OPTIONS_REMOVED);
        }
        if (!products.containsKey(id)) {
            throw MedusaError.notFound("Product with id \"" + id + "\" not found");
        }
        Map<String, Object> update = new LinkedHashMap<>(request);
        update.put("id", id);
        validateProducts(List.of(), List.of(update), List.of());
        return Map.of("product", product(update(products.get(id), update, now)));
    }

    // --- POST /admin/products/{id}/options/batch -----------------------------------------------

    /**
     * Medusa 2.17+'s way to change a product's options: {@code add} new ones ({@code {title, values, is_exclusive}}),
     * {@code update} values of its own ({@code {product_option_id, add: [value id | {value}], remove: [value id]}}),
     * {@code remove} option ids. Answers {@code {product}}. A value already there is not added twice.
     */
    Map<String, Object> batchOptions(String productId, Map<String, Object> body, long now) {
        List<Map<String, Object>> add = objects(body.get("add"), "add");
        List<Map<String, Object>> update = objects(body.get("update"), "update");
        List<String> remove = strings(body.get("remove"), "remove");
        for (int i = 0; i < add.size(); i++) {
            requireText(add.get(i), "title", "add, " + i);
            strings(add.get(i).get("values"), "add, " + i + ", values");
        }
        for (int i = 0; i < update.size(); i++) {
            requireText(update.get(i), "product_option_id", "update, " + i);
        }
        Product product = products.get(productId);
        if (product == null) {
            throw MedusaError.notFound("You tried to set relationship product_id: " + productId + ", but such entity does not exist");
        }
        List<List<String>> addedValues = new ArrayList<>();
        List<List<String>> removedValues = new ArrayList<>();
        for (Map<String, Object> change : update) {
            Option option = findOption(product, (String) change.get("product_option_id"));
            if (option == null) {
                throw MedusaError.notFound("Product option with id: " + change.get("product_option_id") + " was not found");
            }
            List<String> values = new ArrayList<>();
            for (Object value : change.get("add") instanceof List<?> l ? l : List.of()) {
                if (value instanceof Map<?, ?> m && m.get("value") instanceof String text) {
                    values.add(text);
                } else if (value instanceof String valueId && valueIndex(option, valueId) >= 0) {
                    values.add(option.values[valueIndex(option, valueId)]);
                } else {
                    throw MedusaError.notFound("You tried to set relationship product_option_value_id: " + value
                            + ", but such entity does not exist");
                }
            }
            addedValues.add(values);
            List<String> removed = new ArrayList<>();
            for (String valueId : strings(change.get("remove"), "remove")) {
                int index = valueIndex(option, valueId);
                if (index < 0) {
                    throw MedusaError.notFound("Product option value with id: " + valueId + " was not found");
                }
                removed.add(option.values[index]);
            }
            removedValues.add(removed);
        }
        for (String optionId : remove) {
            if (findOption(product, optionId) == null) {
                throw MedusaError.notFound("Product option with id: " + optionId + " was not found");
            }
        }
        for (Map<String, Object> given : add) { // a shared option's title is unique among the store's shared options
            boolean shared = !Boolean.TRUE.equals(given.get("is_exclusive"));
            if (shared && products.values().stream().flatMap(p -> p.options.stream()).anyMatch(o -> !o.exclusive && o.title.equals(given.get("title")))) {
                throw MedusaError.invalid("Product option with title: " + given.get("title") + ", already exists.");
            }
        }
        for (Map<String, Object> given : add) {
            List<String> values = strings(given.get("values"), "values");
            Option same = product.options.stream().filter(o -> o.title.equals(given.get("title"))).findFirst().orElse(null);
            if (same != null) {
                same.values = merged(same.values, values, List.of());
            } else {
                Option option = new Option(newId("opt"), (String) given.get("title"), merged(new String[0], values, List.of()));
                option.exclusive = Boolean.TRUE.equals(given.get("is_exclusive")); // Medusa's default: a shared option
                product.options.add(option);
            }
        }
        for (int i = 0; i < update.size(); i++) {
            Option option = findOption(product, (String) update.get(i).get("product_option_id"));
            option.values = merged(option.values, addedValues.get(i), removedValues.get(i));
        }
        for (String optionId : remove) {
            Option option = findOption(product, optionId);
            product.options.remove(option);
            for (Variant variant : product.variants) {
                Map<String, String> kept = new LinkedHashMap<>(variant.options);
                kept.remove(option.title);
                variant.options = Map.copyOf(kept);
            }
        }
        product.updatedAt = now;
        return Map.of("product", product(product));
    }

    private static String[] merged(String[] values, List<String> added, List<String> removed) {
        List<String> result = new ArrayList<>(List.of(values));
        result.removeAll(removed);
        added.stream().filter(v -> !result.contains(v)).forEach(v -> result.add(v.intern()));
        return result.toArray(String[]::new);
    }

    private static int valueIndex(Option option, String valueId) {
        for (int i = 0; i < option.values.length; i++) {
            if (valueId(option, i).equals(valueId)) {
                return i;
            }
        }
        return -1;
    }

    // --- POST /admin/products/{id}/variants/batch ----------------------------------------------

    /**
     * One product's variants: {@code create} new ones, {@code update} some by id (the others are kept), {@code delete}
     * by id. Validated whole first, as Medusa's workflow rolls back; answers {@code {created, updated, deleted}}.
     */
    Map<String, Object> batchVariants(String productId, Map<String, Object> body, long now) {
        List<Map<String, Object>> create = objects(body.get("create"), "create");
        List<Map<String, Object>> update = objects(body.get("update"), "update");
        List<String> delete = strings(body.get("delete"), "delete");
        for (int i = 0; i < create.size(); i++) {
            requireText(create.get(i), "title", "create, " + i);
            if (!create.get(i).containsKey("prices")) {
                throw MedusaError.invalid("Invalid request: Field 'create, " + i + ", prices' is required");
            }
            variantSchema(create.get(i), "create, " + i, false);
        }
        for (int i = 0; i < update.size(); i++) {
            requireText(update.get(i), "id", "update, " + i);
            variantSchema(update.get(i), "update, " + i, true);
        }
        Product product = products.get(productId);
        List<String> unknown = new ArrayList<>();
        update.forEach(v -> {
            if (product == null || findVariant(product, (String) v.get("id")) == null) {
                unknown.add((String) v.get("id"));
            }
        });
        if (!unknown.isEmpty()) {
            throw MedusaError.invalid("Cannot update non-existing variants with ids: " + String.join(", ", unknown));
        }
        if (product == null) { // the variants are checked first, against a product of no options
            validateVariants(Map.of("variants", create), new Product(productId, now), new HashMap<>());
            throw MedusaError.notFound("You tried to set relationship product_id: " + productId + ", but such entity does not exist");
        }
        for (String id : delete) {
            if (findVariant(product, id) == null) {
                throw MedusaError.notFound("Product variant with id: " + id + " was not found");
            }
        }
        List<Object> variants = new ArrayList<>(update);
        variants.addAll(create);
        Map<String, String> skus = new HashMap<>();
        validateVariants(Map.of("variants", variants), product, skus);
        List<Map<String, Object>> asUpdate = List.of(Map.of("id", product.id, "variants", product.variants.stream()
                .filter(v -> !delete.contains(v.id)).map(v -> Map.of("id", v.id)).toList()));
        checkSkus(skus, delete.isEmpty() ? List.of() : asUpdate, List.of());

        List<Map<String, Object>> created = new ArrayList<>();
        for (Map<String, Object> request : create) {
            Variant variant = newVariant(product, request, now);
            product.variants.add(variant);
            created.add(variant(variant));
        }
        List<Map<String, Object>> updated = new ArrayList<>();
        for (Map<String, Object> request : update) {
            Variant variant = findVariant(product, (String) request.get("id"));
            changeVariant(variant, request, now);
            updated.add(variant(variant));
        }
        for (String id : delete) {
            Variant variant = findVariant(product, id);
            product.variants.remove(variant);
            forget(variant);
        }
        product.updatedAt = now;
        return Map.of("created", created, "updated", updated, "deleted", Map.of("ids", delete, "object", "variant", "deleted", true));
    }

    private static Option findOption(Product product, String id) {
        return product.options.stream().filter(o -> o.id.equals(id)).findFirst().orElse(null);
    }

    private static Variant findVariant(Product product, String id) {
        return product.variants.stream().filter(v -> v.id.equals(id)).findFirst().orElse(null);
    }

    // --- POST /admin/inventory-items/location-levels/batch -------------------------------------

    Map<String, Object> batchLevels(Map<String, Object> body, long now) {
        List<Map<String, Object>> create = objects(body.get("create"), "create");
        List<Map<String, Object>> update = objects(body.get("update"), "update");
        List<String> delete = strings(body.get("delete"), "delete");
        List<InventoryItem> createItems = new ArrayList<>();
        List<InventoryItem> updateItems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < create.size() + update.size(); i++) {
            boolean creating = i < create.size();
            Map<String, Object> level = creating ? create.get(i) : update.get(i - create.size());
            String at = (creating ? "create, " + i : "update, " + (i - create.size()));
            requireText(level, "inventory_item_id", at);
            requireText(level, "location_id", at);
            if (!(level.get("stocked_quantity") instanceof Number quantity)) {
                throw MedusaError.invalid("Invalid request: Expected type: 'number' for field '" + at + ", stocked_quantity', got: '"
                        + typeOf(level.get("stocked_quantity")) + "'");
            }
            if (quantity.doubleValue() < 0 || quantity.doubleValue() != Math.rint(quantity.doubleValue())) {
                throw MedusaError.invalid("Invalid request: Value for field '" + at + ", stocked_quantity' must be a whole number, 0 or more");
            }
            InventoryItem item = inventoryById.get((String) level.get("inventory_item_id"));
            if (item == null) {
                throw MedusaError.notFound("Inventory item with id: " + level.get("inventory_item_id") + " was not found");
            }
            String location = (String) level.get("location_id");
            if (!locations.containsKey(location)) {
                throw MedusaError.notFound("Stock location with id: " + location + " was not found");
            }
            if (!seen.add(item.id + "|" + location)) {
                throw MedusaError.invalid("Inventory level for item " + item.id + " at location " + location + " is given twice");
            }
            if (creating && item.level(location) != null) {
                throw MedusaError.invalid("Inventory level with inventory_item_id: " + item.id + ", location_id: " + location + ", already exists.");
            }
            if (!creating && item.level(location) == null) {
                throw MedusaError.notFound("Inventory level for item " + item.id + " and location " + location + " was not found");
            }
            (creating ? createItems : updateItems).add(item);
        }
        List<Map<String, Object>> created = new ArrayList<>();
        List<Map<String, Object>> updated = new ArrayList<>();
        for (int i = 0; i < create.size(); i++) {
            InventoryItem item = createItems.get(i);
            int quantity = quantityApplied(item, ((Number) create.get(i).get("stocked_quantity")).intValue(), 0);
            Level level = new Level(ids.incrementAndGet(), (String) create.get(i).get("location_id"), quantity, now);
            Level[] levels = Arrays.copyOf(item.levels, item.levels.length + 1);
            levels[levels.length - 1] = level;
            item.levels = levels;
            created.add(level(item, level));
        }
        for (int i = 0; i < update.size(); i++) {
            InventoryItem item = updateItems.get(i);
            Level level = item.level((String) update.get(i).get("location_id"));
            int quantity = quantityApplied(item, ((Number) update.get(i).get("stocked_quantity")).intValue(), level.stocked);
            if (quantity != level.stocked) {
                level.stocked = quantity;
                level.updatedAt = now;
            }
            updated.add(level(item, level));
        }
        List<String> deleted = new ArrayList<>();
        for (String id : delete) {
            for (InventoryItem item : inventoryById.values()) {
                List<Level> kept = new ArrayList<>(List.of(item.levels));
                if (kept.removeIf(l -> l.id().equals(id))) {
                    item.levels = kept.toArray(Level[]::new);
                    deleted.add(id);
                }
            }
        }
        return Map.of("created", created, "updated", updated, "deleted", deleted);
    }

    /** A silently dropped SKU's quantity stays as it was, while the call succeeds. */
    private int quantityApplied(InventoryItem item, int asked, int current) {
        if (item.sku != null && silentDrops.contains(item.sku) && asked != current) {
            dropped++;
            return current;
        }
        return asked;
    }

    // --- representations -----------------------------------------------------------------------

    Map<String, Object> product(Product product) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", product.id);
        answer.put("title", product.title);
        answer.put("handle", product.handle);
        answer.put("subtitle", null);
        answer.put("description", product.description);
        answer.put("status", product.status);
        answer.put("external_id", product.externalId);
        answer.put("metadata", product.metadata);
        answer.put("shipping_profile", product.shippingProfileId == null ? null
                : Map.of("id", product.shippingProfileId, "name", "Default Shipping Profile", "type", "default"));
        List<Map<String, Object>> options = new ArrayList<>();
        for (Option option : product.options) {
            List<Map<String, Object>> values = new ArrayList<>();
            for (int i = 0; i < option.values.length; i++) {
                values.add(Map.of("id", valueId(option, i), "value", option.values[i], "option_id", option.id));
            }
            options.add(Map.of("id", option.id, "title", option.title, "is_exclusive", option.exclusive, "values", values));
        }
        answer.put("options", options);
        answer.put("variants", product.variants.stream().map(this::variant).toList());
        answer.put("created_at", time(product.createdAt));
        answer.put("updated_at", time(product.updatedAt));
        answer.put("deleted_at", null);
        return answer;
    }

    Map<String, Object> variant(Variant variant) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", variant.id);
        answer.put("title", variant.title);
        answer.put("sku", variant.sku);
        answer.put("product_id", variant.product.id);
        answer.put("manage_inventory", variant.manageInventory);
        answer.put("allow_backorder", false);
        answer.put("metadata", variant.metadata);
        List<Map<String, Object>> options = new ArrayList<>();
        variant.options.forEach((title, value) -> {
            Option option = variant.product.options.stream().filter(o -> o.title.equals(title)).findFirst().orElse(null);
            if (option != null) {
                int index = List.of(option.values).indexOf(value);
                options.add(Map.of("id", valueId(option, index), "value", value, "option_id", option.id,
                        "option", Map.of("id", option.id, "title", option.title)));
            }
        });
        answer.put("options", options);
        List<Map<String, Object>> prices = new ArrayList<>();
        for (Price price : variant.prices) {
            prices.add(Map.of("id", price.id(), "currency_code", price.currencyCode(), "amount", price.amount()));
        }
        answer.put("prices", prices);
        answer.put("created_at", time(variant.createdAt));
        answer.put("updated_at", time(variant.updatedAt));
        return answer;
    }

    Map<String, Object> inventoryItem(InventoryItem item) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", item.id);
        answer.put("sku", item.sku);
        answer.put("title", item.title);
        answer.put("requires_shipping", true);
        int stocked = 0;
        int reserved = 0;
        List<Map<String, Object>> levels = new ArrayList<>();
        for (Level level : item.levels) {
            stocked += level.stocked;
            reserved += level.reserved;
            levels.add(level(item, level));
        }
        answer.put("stocked_quantity", stocked);
        answer.put("reserved_quantity", reserved);
        answer.put("location_levels", levels);
        answer.put("created_at", time(item.createdAt));
        return answer;
    }

    private static Map<String, Object> level(InventoryItem item, Level level) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", level.id());
        answer.put("inventory_item_id", item.id);
        answer.put("location_id", level.locationId);
        answer.put("stocked_quantity", level.stocked);
        answer.put("reserved_quantity", level.reserved);
        answer.put("incoming_quantity", 0);
        answer.put("available_quantity", level.stocked - level.reserved);
        answer.put("updated_at", time(level.updatedAt));
        return answer;
    }

    private static String valueId(Option option, int index) {
        return "optval_" + option.id.substring(option.id.indexOf('_') + 1) + "_" + index;
    }

    private static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    // --- request reading -----------------------------------------------------------------------

    private static List<Map<String, Object>> objects(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw MedusaError.invalid("Invalid request: Expected type: 'array' for field '" + field + "', got: '" + typeOf(value) + "'");
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw MedusaError.invalid("Invalid request: Expected type: 'object' for field '" + field + ", " + i + "', got: '"
                        + typeOf(list.get(i)) + "'");
            }
            Map<String, Object> object = new LinkedHashMap<>();
            map.forEach((k, v) -> object.put(String.valueOf(k), v));
            objects.add(object);
        }
        return objects;
    }

    private static List<String> strings(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw MedusaError.invalid("Invalid request: Expected type: 'array of strings' for field '" + field + "', got: '" + typeOf(value) + "'");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static void requireText(Map<String, Object> object, String field, String at) {
        Object value = object.get(field);
        if (value == null) {
            throw MedusaError.invalid("Invalid request: Field '" + at + ", " + field + "' is required");
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw MedusaError.invalid("Invalid request: Expected type: 'string' for field '" + at + ", " + field + "', got: '" + typeOf(value) + "'");
        }
    }

    private static void optionalText(Map<String, Object> object, String field, String at) {
        Object value = object.get(field);
        if (value != null && !(value instanceof String)) {
            throw MedusaError.invalid("Invalid request: Expected type: 'string' for field '" + at + ", " + field + "', got: '" + typeOf(value) + "'");
        }
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value instanceof String ? "string" : value instanceof Number ? "number"
                : value instanceof Boolean ? "boolean" : value instanceof List ? "array" : "object";
    }

    private static Map<String, String> options(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return Map.of();
        }
        Map<String, String> options = new LinkedHashMap<>();
        map.forEach((k, v) -> options.put(String.valueOf(k).intern(), String.valueOf(v).intern())); // a store's few option values, shared
        return Map.copyOf(options);
    }

    /** Medusa merges metadata: given keys are set, a key given as "" is removed. Kept as a compact immutable map. */
    private static Map<String, Object> metadata(Object value, Map<String, Object> existing) {
        if (!(value instanceof Map<?, ?> given)) {
            return existing;
        }
        Map<String, Object> metadata = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        given.forEach((k, v) -> {
            if ("".equals(v) || v == null) {
                metadata.remove(String.valueOf(k));
            } else {
                metadata.put(String.valueOf(k), v);
            }
        });
        return metadata.isEmpty() ? null : Map.copyOf(metadata);
    }

    static String slug(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "product" : slug;
    }
}

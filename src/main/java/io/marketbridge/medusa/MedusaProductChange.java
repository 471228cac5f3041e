package io.marketbridge.medusa;

import io.marketbridge.channels.CatalogItem;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Odoo template as a Medusa product: what Medusa should hold (options from the variants' attributes,
 * one variant per SKU), compared with what it holds, and the requests that close the difference: a new
 * product is created whole (options and variants with it); an existing one has its own fields, its
 * options and its variants changed through three endpoints, since Medusa 2.16+ refuses options in a
 * product update. A changed variant names its prices by id; prices in other currencies are kept.
 */
final class MedusaProductChange {

    /** Medusa's own name for the single option of a product without attributes. */
    static final String DEFAULT_OPTION = "Default option";
    static final String DEFAULT_OPTION_VALUE = "Default option value";

    final long templateId;
    final String externalId;
    final String title;
    final String description;
    final List<CatalogItem> items;
    /** Option title → values, in Odoo's attribute order. */
    private final Map<String, Set<String>> options = new LinkedHashMap<>();
    private final String currency;
    private MedusaProduct current;

    private MedusaProductChange(long templateId, List<CatalogItem> items, String currency) {
        this.templateId = templateId;
        this.externalId = externalId(templateId);
        this.title = items.get(0).templateName().trim();
        this.description = blankToNull(items.get(0).description());
        this.items = items;
        this.currency = currency;
        for (CatalogItem item : items) {
            variantOptions(item).forEach((option, value) -> options.computeIfAbsent(option, o -> new LinkedHashSet<>()).add(value));
        }
    }

    static String externalId(long templateId) {
        return "odoo-template-" + templateId;
    }

    /**
     * The template's product from its valid items; items Medusa could not take (no title, a foreign currency, other
     * attributes than the template's first variant) are left out with the reason in {@code refused}.
     */
    static Optional<MedusaProductChange> of(long templateId, List<CatalogItem> items, String currency, Map<CatalogItem, String> refused) {
        List<CatalogItem> valid = new ArrayList<>();
        for (CatalogItem item : items) {
            Optional<String> problem = invalid(item, currency);
            if (problem.isEmpty() && !valid.isEmpty()
                    && !attributes(item).keySet().equals(attributes(valid.get(0)).keySet())) {
                problem = Optional.of("its attributes " + attributes(item).keySet() + " are not those of the template's other variants "
                        + attributes(valid.get(0)).keySet() + ": Medusa needs a value of every option on each variant");
            }
            problem.ifPresentOrElse(reason -> refused.put(item, reason), () -> valid.add(item));
        }
        return valid.isEmpty() ? Optional.empty() : Optional.of(new MedusaProductChange(templateId, valid, currency));
    }

    private static Optional<String> invalid(CatalogItem item, String currency) {
        if (item.templateName() == null || item.templateName().isBlank()) {
            return Optional.of("the Odoo template " + item.templateId() + " has no name, and Medusa needs a product title");
        }
        if (item.price() == null || item.price().signum() < 0) {
            return Optional.of("no price, or a negative one (" + item.price() + ")");
        }
        if (item.currency() == null || !item.currency().equalsIgnoreCase(currency)) {
            return Optional.of("priced in " + item.currency() + " while the Medusa store's prices are in " + currency
                    + " (marketbridge.medusa.currency); prices are never converted");
        }
        return Optional.empty();
    }

    private static Map<String, String> attributes(CatalogItem item) {
        return item.attributes() == null ? Map.of() : item.attributes();
    }

    /** The variant's {@code options}: its attribute values, or Medusa's default option when the template has none. */
    static Map<String, String> variantOptions(CatalogItem item) {
        Map<String, String> attributes = attributes(item);
        return attributes.isEmpty() ? Map.of(DEFAULT_OPTION, DEFAULT_OPTION_VALUE) : attributes;
    }

    void compareWith(MedusaProduct product) {
        this.current = product;
    }

    boolean isNew() {
        return current == null;
    }

    List<String> skus() {
        return items.stream().map(CatalogItem::sku).toList();
    }

    /** Every string an error of Medusa's may name this product by: SKUs, external id, Medusa ids. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>(skus());
        names.add(externalId);
        names.add(handle());
        if (current != null) {
            names.add(current.id());
            items.forEach(item -> current.variant(item.sku()).ifPresent(v -> names.add(v.id())));
        }
        names.remove(null);
        return names;
    }

    // --- differences ---------------------------------------------------------------------------

    /** What differs in the product itself (not its stock); empty when Medusa already shows it as Odoo has it. */
    List<String> productDifferences() {
        List<String> differences = new ArrayList<>();
        if (current == null) {
            return differences;
        }
        if (!title.equals(current.title())) {
            differences.add("title: \"" + current.title() + "\" → \"" + title + "\"");
        }
        if (!Objects.equals(description, blankToNull(current.description()))) {
            differences.add("description changed");
        }
        differences.addAll(optionDifferences());
        for (CatalogItem item : items) {
            differences.addAll(variantDifferences(item));
        }
        return differences;
    }

    private List<String> optionDifferences() {
        List<String> differences = new ArrayList<>();
        options.forEach((title, values) -> {
            Optional<MedusaProduct.Option> option = current.option(title);
            if (option.isEmpty()) {
                differences.add("option " + title + ": new (" + String.join(", ", values) + ")");
            } else {
                List<String> added = values.stream().filter(v -> !option.get().values().contains(v)).toList();
                if (!added.isEmpty()) {
                    differences.add("option " + title + ": + " + String.join(", ", added));
                }
            }
        });
        return differences;
    }

    private List<String> variantDifferences(CatalogItem item) {
        String sku = item.sku();
        Optional<MedusaProduct.Variant> found = current.variant(sku);
        if (found.isEmpty()) {
            return List.of(sku + ": new variant");
        }
        MedusaProduct.Variant variant = found.get();
        List<String> differences = new ArrayList<>();
        if (!variantTitle(item).equals(variant.title())) {
            differences.add(sku + " title: \"" + variant.title() + "\" → \"" + variantTitle(item) + "\"");
        }
        Map<String, String> wanted = variantOptions(item);
        Map<String, String> shown = new LinkedHashMap<>();
        wanted.keySet().forEach(option -> shown.put(option, variant.options().get(option)));
        if (!wanted.equals(shown)) {
            differences.add(sku + " options: " + shown + " → " + wanted);
        }
        Optional<BigDecimal> price = variant.price(currency).map(MedusaProduct.Price::amount);
        if (price.isEmpty() || price.get().compareTo(item.price()) != 0) {
            differences.add(sku + " price " + currency + ": " + price.map(BigDecimal::toPlainString).orElse("none") + " → "
                    + item.price().toPlainString());
        }
        if (!variant.manageInventory()) {
            differences.add(sku + " manage_inventory: false → true");
        }
        String productId = String.valueOf(item.productId());
        if (!productId.equals(String.valueOf(variant.metadata().get("odoo_product_id")))) {
            differences.add(sku + " odoo product id: " + variant.metadata().get("odoo_product_id") + " → " + productId);
        }
        String barcode = blankToNull(item.barcode());
        Object shownBarcode = variant.metadata().get("barcode");
        if (!Objects.equals(barcode, shownBarcode == null ? null : blankToNull(String.valueOf(shownBarcode)))) {
            differences.add(sku + " barcode: " + shownBarcode + " → " + barcode);
        }
        return differences;
    }

    /** The quantities that differ from the stocked quantity at the location ({@code levels} by SKU). */
    List<String> stockDifferences(Map<String, MedusaConnector.StockLevel> levels) {
        List<String> differences = new ArrayList<>();
        for (CatalogItem item : items) {
            MedusaConnector.StockLevel level = levels.get(item.sku());
            Integer stocked = level == null ? null : level.stocked();
            if (stocked == null || stocked != quantity(item)) {
                differences.add(item.sku() + " quantity: " + (stocked == null ? "none" : stocked) + " → " + quantity(item));
            }
        }
        return differences;
    }

    static int quantity(CatalogItem item) {
        return Math.max(0, item.quantity());
    }

    // --- requests ------------------------------------------------------------------------------

    /** The product for {@code create} of {@code POST /admin/products/batch}. */
    Map<String, Object> createRequest(Optional<String> salesChannelId, Optional<String> shippingProfileId) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("title", title);
        product.put("handle", handle());
        product.put("external_id", externalId);
        product.put("status", "published");
        product.put("description", description);
        product.put("metadata", Map.of("odoo_template_id", templateId));
        product.put("options", options.entrySet().stream()
                .map(o -> Map.of("title", o.getKey(), "values", List.copyOf(o.getValue()))).toList());
        product.put("variants", items.stream().map(item -> variantRequest(item, null)).toList());
        salesChannelId.ifPresent(id -> product.put("sales_channels", List.of(Map.of("id", id))));
        shippingProfileId.ifPresent(id -> product.put("shipping_profile_id", id));
        return product;
    }

    /** Whether the product's own fields (title, description) differ from what Medusa shows. */
    boolean productFieldsChanged() {
        return current != null && (!title.equals(current.title()) || !Objects.equals(description, blankToNull(current.description())));
    }

    /**
     * The product for {@code update} of {@code POST /admin/products/batch}: its own fields only. Since 2.16 Medusa
     * refuses {@code options} there (400 invalid_data), and {@code variants} there replaces the product's variant
     * list, deleting every variant it leaves out: options and variants have endpoints of their own. The status is not
     * touched: a merchant may hide a product in Medusa.
     */
    Map<String, Object> updateRequest() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", current.id());
        product.put("title", title);
        product.put("description", description);
        return product;
    }

    /**
     * The body of {@code POST /admin/products/{id}/options/batch} that gives the product Odoo's options and values:
     * new options in {@code add} (exclusive to the product, as those of a product created with options are: a shared
     * option of the same title elsewhere would refuse it), new values of kept options in {@code update}. Empty when
     * Medusa already has them all.
     */
    Optional<Map<String, Object>> optionsRequest() {
        if (current == null || optionDifferences().isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> add = new ArrayList<>();
        List<Map<String, Object>> update = new ArrayList<>();
        options.forEach((optionTitle, values) -> {
            Optional<MedusaProduct.Option> option = current.option(optionTitle);
            if (option.isEmpty()) {
                Map<String, Object> created = new LinkedHashMap<>();
                created.put("title", optionTitle);
                created.put("values", List.copyOf(values));
                created.put("is_exclusive", true);
                add.add(created);
            } else {
                List<Map<String, Object>> added = values.stream().filter(v -> !option.get().values().contains(v))
                        .map(v -> Map.<String, Object>of("value", v)).toList();
                if (!added.isEmpty()) {
                    update.add(Map.of("product_option_id", option.get().id(), "add", added));
                }
            }
        });
        Map<String, Object> request = new LinkedHashMap<>();
        if (!add.isEmpty()) {
            request.put("add", add);
        }
        if (!update.isEmpty()) {
            request.put("update", update);
        }
        return Optional.of(request);
    }

    /**
     * The body of {@code POST /admin/products/{id}/variants/batch}: Odoo's new variants in {@code create}, the changed
     * ones in {@code update} (by id, their price by its id so it is changed in place); variants left out are kept.
     * Empty when every variant is as Odoo has it.
     */
    Optional<Map<String, Object>> variantsRequest() {
        if (current == null) {
            return Optional.empty();
        }
        List<Map<String, Object>> create = new ArrayList<>();
        List<Map<String, Object>> update = new ArrayList<>();
        for (CatalogItem item : items) {
            Optional<MedusaProduct.Variant> existing = current.variant(item.sku());
            if (existing.isEmpty()) {
                create.add(variantRequest(item, null));
            } else if (!variantDifferences(item).isEmpty()) {
                update.add(variantRequest(item, existing.get()));
            }
        }
        if (create.isEmpty() && update.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("create", create);
        request.put("update", update);
        return Optional.of(request);
    }

    String productId() {
        return current.id();
    }

    private Map<String, Object> variantRequest(CatalogItem item, MedusaProduct.Variant existing) {
        Map<String, Object> variant = withId(existing == null ? null : existing.id());
        variant.put("title", variantTitle(item));
        variant.put("sku", item.sku());
        variant.put("options", variantOptions(item));
        List<Map<String, Object>> prices = new ArrayList<>();
        if (existing != null) {
            existing.prices().stream().filter(p -> !currency.equalsIgnoreCase(p.currencyCode()))
                    .forEach(p -> {
                        Map<String, Object> kept = withId(p.id());
                        kept.put("currency_code", p.currencyCode());
                        kept.put("amount", p.amount());
                        prices.add(kept);
                    });
        }
        Map<String, Object> price = withId(existing == null ? null : existing.price(currency).map(MedusaProduct.Price::id).orElse(null));
        price.put("currency_code", currency);
        price.put("amount", item.price()); // major units, as Medusa keeps them
        prices.add(price);
        variant.put("prices", prices);
        variant.put("manage_inventory", true);
        Map<String, Object> metadata = new LinkedHashMap<>(existing == null ? Map.of() : existing.metadata());
        metadata.put("odoo_product_id", item.productId());
        String barcode = blankToNull(item.barcode());
        if (barcode != null) {
            metadata.put("barcode", barcode);
        } else if (metadata.containsKey("barcode")) {
            metadata.put("barcode", ""); // Medusa removes a metadata key set to ""
        }
        variant.put("metadata", metadata);
        return variant;
    }

    /** A request object that names an existing record by its id (none for a new one). */
    private static Map<String, Object> withId(String id) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (id != null) {
            object.put("id", id);
        }
        return object;
    }

    private static String variantTitle(CatalogItem item) {
        return item.name() == null || item.name().isBlank() ? item.sku() : item.name().trim();
    }

    /** A storefront URL name that two templates of the same name cannot share (Medusa's handles are unique). */
    private String handle() {
        String slug = Normalizer.normalize(title, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-$", "");
        }
        return (slug.isEmpty() ? "product" : slug) + "-" + templateId;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}

package io.marketbridge.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.CatalogSource;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Odoo's sellable catalog as channels are told about it (Odoo is the system of record): read in
 * pages of variants, each page in four Odoo calls whatever its size (variants, their templates,
 * their attribute values, their stock at the configured location), and what changed since a
 * {@code write_date}, in three id-only searches. Only a page is held in memory at a time.
 */
@Singleton
public class OdooCatalogFeed implements CatalogSource {

    private static final Logger LOG = Logger.getLogger(OdooCatalogFeed.class);
    private static final List<String> VARIANT_FIELDS = List.of("default_code", "display_name", "lst_price", "product_tmpl_id",
            "barcode", "product_template_attribute_value_ids", "write_date", "active", "sale_ok");
    /** Active (Odoo's default search), sellable, and with an internal reference: the key on every channel. */
    private static final List<Object> SELLABLE = List.of(List.of("sale_ok", "=", true), List.of("default_code", "!=", false));
    /** Odoo names a variant "[SKU] Name (values)" unless told not to; channels get the SKU separately. */
    private static final Map<String, Object> NAMES_WITHOUT_CODE = Map.of("display_default_code", false);
    private static final Map<String, Object> ALL_RECORDS = Map.of("active_test", false);
    private static final Map<String, Object> ALL_RECORDS_WITHOUT_CODE = Map.of("active_test", false, "display_default_code", false);
    private static final DateTimeFormatter WRITE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern ODOO_DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Ids or SKUs asked for per call. */
    static final int IDS_PER_CALL = 1000;

    /** @param newest the newest {@code write_date} seen, or the {@code since} asked for when nothing changed */
    public record Changes(Set<Long> productIds, String newest) {
    }

    private final OdooClient odoo;
    private final OdooCatalog catalog;
    private final OdooConfig settings;
    private volatile String publishedField;
    private volatile String currency;

    OdooCatalogFeed(OdooClient odoo, OdooCatalog catalog, OdooConfig config) {
        this.odoo = odoo;
        this.catalog = catalog;
        this.settings = config;
    }

    /** Sellable variants (active, sale_ok, with a default_code) with id > afterId, ascending, at most limit. */
    @Override
    public Page page(long afterId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<Object> domain = new ArrayList<>();
        domain.add(List.of("id", ">", afterId));
        domain.addAll(SELLABLE);
        List<JsonNode> rows = odoo.searchRead("product.product", domain, VARIANT_FIELDS, limit, "id asc", NAMES_WITHOUT_CODE);
        long lastId = rows.isEmpty() ? afterId : rows.get(rows.size() - 1).get("id").asLong();
        return new Page(variantsOf(rows), lastId, rows.size() < limit);
    }

    /**
     * product.product ids whose variant, template or stock.quant (at the location, child locations
     * included) has write_date >= since (Odoo UTC "yyyy-MM-dd HH:mm:ss"; null = everything), and the
     * newest write_date seen. Archived and unsellable variants are included: a channel may have to
     * take them down ({@link Variant#sellable} says so).
     */
    public Changes changedSince(String since) {
        if (since != null && !ODOO_DATETIME.matcher(since).matches()) {
            throw new IllegalArgumentException("since must be an Odoo UTC time \"yyyy-MM-dd HH:mm:ss\", not \"" + since + "\"");
        }
        List<Object> recent = since == null ? List.of() : List.of(List.of("write_date", ">=", since));
        Set<Long> ids = new TreeSet<>();
        String newest = since;
        for (JsonNode row : odoo.searchRead("product.product", recent, List.of("write_date"), null, null, ALL_RECORDS)) {
            ids.add(row.get("id").asLong());
            newest = later(newest, row.path("write_date").asText());
        }
        for (JsonNode row : odoo.searchRead("product.template", recent, List.of("write_date", "product_variant_ids"), null, null,
                ALL_RECORDS)) {
            row.path("product_variant_ids").forEach(variant -> ids.add(variant.asLong()));
            newest = later(newest, row.path("write_date").asText());
        }
        // stock moves do not touch the product's write_date: its quants at the location do change
        List<Object> quants = new ArrayList<>(recent);
        quants.add(List.of("location_id", "child_of", catalog.stockLocation()));
        for (JsonNode row : odoo.searchRead("stock.quant", quants, List.of("product_id", "write_date"), null, null, null)) {
            ids.add(row.path("product_id").path(0).asLong());
            newest = later(newest, row.path("write_date").asText());
        }
        return new Changes(ids, newest);
    }

    /** Odoo's {@code write_date} format (UTC, whole seconds). */
    public static String writeDate(LocalDateTime utc) {
        return utc.format(WRITE_DATE);
    }

    /**
     * The given variants whatever their state (archived, unsellable or without a SKU included, so a
     * channel can withdraw them; ids unknown to Odoo left out), ascending by id.
     */
    @Override
    public List<Variant> variantsInAnyState(Collection<Long> productIds) {
        List<Long> ids = productIds.stream().distinct().sorted().toList();
        List<Variant> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_CALL) {
            List<Object> domain = List.of(List.of("id", "in", ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL))));
            found.addAll(variantsOf(odoo.searchRead("product.product", domain, VARIANT_FIELDS, null, "id asc", ALL_RECORDS_WITHOUT_CODE)));
        }
        return found;
    }

    @Override
    public Map<String, BigDecimal> onHandBySku(Collection<String> skus) {
        Map<String, BigDecimal> onHand = new HashMap<>();
        catalog.productsBySku(skus).forEach((sku, product) ->
                onHand.put(sku, product.qtyAvailable() == null ? BigDecimal.ZERO : product.qtyAvailable()));
        return onHand;
    }

    /** The variants with these internal references, whatever their state (SKUs unknown to Odoo left out). */
    @Override
    public List<Variant> variantsBySku(Collection<String> skus) {
        List<String> codes = List.copyOf(skus);
        List<Variant> found = new ArrayList<>();
        for (int from = 0; from < codes.size(); from += IDS_PER_CALL) {
            List<Object> domain = List.of(List.of("default_code", "in", codes.subList(from, Math.min(codes.size(), from + IDS_PER_CALL))));
            found.addAll(variantsOf(odoo.searchRead("product.product", domain, VARIANT_FIELDS, null, "id asc", ALL_RECORDS_WITHOUT_CODE)));
        }
        return found;
    }

    /** The page's templates, attribute values and stock: one call each. */
    private List<Variant> variantsOf(List<JsonNode> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Set<Long> productIds = new LinkedHashSet<>();
        Set<Long> templateIds = new LinkedHashSet<>();
        Set<Long> valueIds = new LinkedHashSet<>();
        for (JsonNode row : rows) {
            productIds.add(row.get("id").asLong());
            templateIds.add(row.path("product_tmpl_id").path(0).asLong());
            row.path("product_template_attribute_value_ids").forEach(v -> valueIds.add(v.asLong()));
        }
        String published = publishedField();
        Map<Long, JsonNode> templates = read("product.template", templateIds,
                List.of("name", "description_sale", published, "attribute_line_ids"));
        Map<Long, JsonNode> values = read("product.template.attribute.value", valueIds,
                List.of("attribute_id", "name", "attribute_line_id"));
        Map<Long, BigDecimal> free = freeQuantity(productIds);
        String companyCurrency = currency();

        List<Variant> variants = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            long productId = row.get("id").asLong();
            long templateId = row.path("product_tmpl_id").path(0).asLong();
            JsonNode template = templates.get(templateId);
            if (template == null) {
                throw new PermanentFailure(OdooErrors.PEER, "product.product " + productId + " has no readable template " + templateId);
            }
            CatalogItem item = new CatalogItem(text(row, "default_code"), productId, templateId, text(template, "name"),
                    text(row, "display_name"), description(template), price(row.path("lst_price")), companyCurrency,
                    quantity(free.get(productId)), attributes(row, template, values), text(row, "barcode"));
            boolean sellable = row.path("active").asBoolean(true) && row.path("sale_ok").asBoolean(true) && item.sku() != null;
            variants.add(new Variant(item, template.path(published).asBoolean(false), sellable));
        }
        return variants;
    }

    /** Attribute name → value name, in the template's attribute line order. */
    private static Map<String, String> attributes(JsonNode variant, JsonNode template, Map<Long, JsonNode> values) {
        List<Long> lineOrder = new ArrayList<>();
        template.path("attribute_line_ids").forEach(line -> lineOrder.add(line.asLong()));
        List<JsonNode> own = new ArrayList<>();
        variant.path("product_template_attribute_value_ids").forEach(v -> {
            JsonNode value = values.get(v.asLong());
            if (value != null) {
                own.add(value);
            }
        });
        own.sort(Comparator.comparingInt(value -> {
            int position = lineOrder.indexOf(value.path("attribute_line_id").path(0).asLong());
            return position < 0 ? Integer.MAX_VALUE : position;
        }));
        Map<String, String> attributes = new LinkedHashMap<>();
        own.forEach(value -> attributes.put(value.path("attribute_id").path(1).asText(), value.path("name").asText()));
        return attributes;
    }

    /**
     * Free to sell per product at the location and below it: on hand less what deliveries already reserved
     * (stock.quant {@code quantity - reserved_quantity}, Odoo 16 to 19), so stock an imported order holds is
     * not offered again.
     */
    private Map<Long, BigDecimal> freeQuantity(Collection<Long> productIds) {
        List<Object> domain = List.of(List.of("product_id", "in", List.copyOf(productIds)),
                List.of("location_id", "child_of", catalog.stockLocation()));
        Map<Long, BigDecimal> free = new HashMap<>();
        for (JsonNode quant : odoo.searchRead("stock.quant", domain, List.of("product_id", "quantity", "reserved_quantity"), null, null, null)) {
            free.merge(quant.path("product_id").path(0).asLong(),
                    quant.path("quantity").decimalValue().subtract(quant.path("reserved_quantity").decimalValue()), BigDecimal::add);
        }
        return free;
    }

    private Map<Long, JsonNode> read(String model, Collection<Long> ids, List<String> fields) {
        Map<Long, JsonNode> byId = new HashMap<>();
        if (!ids.isEmpty()) {
            odoo.call(model, "read", List.copyOf(ids), Map.of("fields", fields)).forEach(row -> byId.put(row.get("id").asLong(), row));
        }
        return byId;
    }

    /** The configured published field, or {@code sale_ok} when this Odoo lacks it (no website): asked once. */
    private String publishedField() {
        String known = publishedField;
        if (known == null) {
            String configured = settings.publishedField();
            if (!FIELD_NAME.matcher(configured).matches()) {
                throw new PermanentFailure(OdooErrors.PEER, "marketbridge.odoo.published-field must be an Odoo field name, not \""
                        + configured + "\"");
            }
            JsonNode fields = odoo.call("product.template", "fields_get", null, Map.of("attributes", List.of("type")));
            if (fields.has(configured)) {
                known = configured;
            } else {
                LOG.warnf("Odoo has no product.template.%s (marketbridge.odoo.published-field; is the website app installed?):"
                        + " products count as published when they can be sold (sale_ok)", configured);
                known = "sale_ok";
            }
            publishedField = known;
        }
        return known;
    }

    /**
     * Prices are in Odoo's company currency. The whole service reads it from
     * {@code marketbridge.odoo.currency} (listing import, Medusa's default), so a company currency
     * that differs from it is refused rather than sent to channels under the wrong code. Asked once.
     */
    private String currency() {
        String known = currency;
        if (known == null) {
            String configured = settings.currency().toUpperCase(Locale.ROOT);
            List<JsonNode> companies = odoo.searchRead("res.company", List.of(), List.of("currency_id"), 1, "id asc", null);
            String company = companies.isEmpty() ? "" : companies.get(0).path("currency_id").path(1).asText("").toUpperCase(Locale.ROOT);
            if (!company.isEmpty() && !company.equals(configured)) {
                throw new PermanentFailure(OdooErrors.PEER, "Odoo's company currency is " + company + " but marketbridge.odoo.currency is "
                        + configured + ": set marketbridge.odoo.currency=" + company + " so prices reach channels in their own currency");
            }
            known = configured;
            currency = known;
        }
        return known;
    }

    /** A float as Odoo sent it, without binary noise (10.1 + 2.2 is 12.3, not 12.299999999999999). */
    private static BigDecimal price(JsonNode value) {
        BigDecimal price = new BigDecimal(value.asText("0")).round(MathContext.DECIMAL64).stripTrailingZeros();
        return price.scale() < 0 ? price.setScale(0) : price;
    }

    /** Whole units, never below zero. */
    private static int quantity(BigDecimal onHand) {
        if (onHand == null || onHand.signum() <= 0) {
            return 0;
        }
        return onHand.setScale(0, RoundingMode.FLOOR).min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValue();
    }

    private static String description(JsonNode template) {
        String description = text(template, "description_sale");
        return description == null || description.isBlank() ? null : description.strip();
    }

    private static String later(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    /** Odoo reads an empty field as {@code false}. */
    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() || value.isBoolean() ? null : value.asText();
    }

    @Override
    public Set<Long> productIdsOf(String model, List<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<Long> products = new LinkedHashSet<>();
        switch (model) {
            case "product.product" -> products.addAll(ids);
            case "product.template" -> odoo.searchRead("product.product", List.of(List.of("product_tmpl_id", "in", ids)), List.of("id"),
                    null, null, null).forEach(row -> products.add(row.get("id").asLong()));
            case "stock.quant" -> odoo.searchRead("stock.quant", List.of(List.of("id", "in", ids)), List.of("product_id"), null, null, null)
                    .forEach(row -> products.add(row.path("product_id").path(0).asLong()));
            default -> throw new PermanentFailure("odoo", "records of " + model + " do not change what a channel shows"
                    + " (expected product.product, product.template or stock.quant)");
        }
        return products;
    }
}

package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A product as Medusa holds it, read leniently: option values come as strings or as {@code {id, value}};
 * a variant's options as a {@code {title: value}} map or as option values naming their option by
 * {@code option.title} or {@code option_id}; amounts as numbers or strings.
 *
 * @param variants every variant, those without a SKU too (an update must name them to keep them)
 */
record MedusaProduct(String id, String externalId, String title, String description, String status, List<Option> options,
        List<Variant> variants) {

    record Option(String id, String title, List<String> values) {
    }

    record Price(String id, String currencyCode, BigDecimal amount) {
    }

    /** @param metadata the variant's metadata as Medusa has it, kept when ours is added */
    record Variant(String id, String sku, String title, Map<String, String> options, List<Price> prices, boolean manageInventory,
            Map<String, Object> metadata) {

        Optional<Price> price(String currency) {
            return prices.stream().filter(p -> currency.equalsIgnoreCase(p.currencyCode())).findFirst();
        }
    }

    Optional<Variant> variant(String sku) {
        return variants.stream().filter(v -> sku.equals(v.sku())).findFirst();
    }

    Optional<Option> option(String title) {
        return options.stream().filter(o -> title.equals(o.title())).findFirst();
    }

    static MedusaProduct from(JsonNode product) {
        List<Option> options = new ArrayList<>();
        Map<String, String> optionTitles = new HashMap<>();
        for (JsonNode option : product.path("options")) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : option.path("values")) {
                values.add(value.isObject() ? value.path("value").asText() : value.asText());
            }
            Option read = new Option(text(option, "id"), text(option, "title"), values);
            options.add(read);
            if (read.id() != null) {
                optionTitles.put(read.id(), read.title());
            }
        }
        List<Variant> variants = new ArrayList<>();
        for (JsonNode variant : product.path("variants")) {
            variants.add(variant(variant, optionTitles));
        }
        return new MedusaProduct(text(product, "id"), text(product, "external_id"), text(product, "title"),
                text(product, "description"), text(product, "status"), options, variants);
    }

    private static Variant variant(JsonNode variant, Map<String, String> optionTitles) {
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode given = variant.path("options");
        if (given.isObject()) {
            given.properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
        } else {
            for (JsonNode value : given) {
                String title = value.path("option").hasNonNull("title") ? value.path("option").path("title").asText()
                        : optionTitles.get(value.path("option_id").asText());
                if (title != null) {
                    options.put(title, value.path("value").asText());
                }
            }
        }
        List<Price> prices = new ArrayList<>();
        for (JsonNode price : variant.path("prices")) {
            JsonNode amount = price.path("amount");
            if (amount.isNumber() || amount.isTextual()) {
                try {
                    prices.add(new Price(text(price, "id"), text(price, "currency_code"), new BigDecimal(amount.asText())));
                } catch (NumberFormatException unreadable) {
                    // not an amount: read as no price in that currency, so it is set again
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        variant.path("metadata").properties().forEach(e -> metadata.put(e.getKey(),
                e.getValue().isNull() ? null : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue()));
        return new Variant(text(variant, "id"), text(variant, "sku"), text(variant, "title"), options, prices,
                variant.path("manage_inventory").asBoolean(true), metadata);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}

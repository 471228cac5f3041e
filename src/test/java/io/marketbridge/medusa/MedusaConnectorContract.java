package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Medusa connector does to a Medusa store, checked the same way against the simulated Medusa
 * ({@link MedusaConnectorTest}) and a real Medusa 2.21.2 ({@link MedusaConnectorRealTest}): every effect is read back
 * from the store's own Admin API with the key and stock location the service is configured with. Each test makes its
 * own templates and SKUs, so the tests share a store without meeting.
 */
abstract class MedusaConnectorContract {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String PRODUCT_FIELDS = "id,external_id,title,status,description,*options,*options.values,*variants,"
            + "*variants.options,*variants.options.option,*variants.prices";

    @Inject
    MedusaConnector medusa;

    @Test
    void aTemplateWithTwoAttributesBecomesOneProductWithItsOptionsVariantsPricesAndStock() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Linen shirt");

        List<PushResult> results = medusa.push(shirts);

        assertEquals(shirts.stream().map(CatalogItem::sku).toList(), results.stream().map(PushResult::sku).toList());
        accepted(results);
        JsonNode product = onlyProduct(shirts.get(0).templateId());
        assertEquals("Linen shirt", product.path("title").asText());
        assertEquals("published", product.path("status").asText());
        assertEquals(Map.of("Color", Set.of("Red", "Blue"), "Size", Set.of("M", "L")), options(product));
        assertEquals(4, product.path("variants").size());
        for (CatalogItem item : shirts) {
            JsonNode variant = variant(product, item.sku());
            assertEquals(item.name(), variant.path("title").asText());
            assertEquals(item.attributes(), variantOptions(variant));
            assertEquals(1, variant.path("prices").size(), variant.path("prices").toString());
            assertEquals("usd", variant.path("prices").path(0).path("currency_code").asText());
            assertEquals(0, item.price().compareTo(variant.path("prices").path(0).path("amount").decimalValue()),
                    "major units: " + item.price() + " stays " + item.price());
            assertTrue(variant.path("manage_inventory").asBoolean());
            assertEquals(item.productId(), variant.path("metadata").path("odoo_product_id").asLong());
            assertEquals(item.barcode(), variant.path("metadata").path("barcode").asText());
            assertEquals(item.quantity(), stocked(item.sku()), "stocked quantity of " + item.sku());
        }
    }

    /** Issue 11: a product the service makes is buyable: it has Medusa's default shipping profile, so carts offer it shipping. */
    @Test
    void aNewProductGetsMedusasDefaultShippingProfile() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Travel shirt");
        accepted(medusa.push(shirts));

        String defaultProfile = read("/admin/shipping-profiles?type=default&fields=id,name").path("shipping_profiles").path(0).path("id").asText();
        assertTrue(!defaultProfile.isEmpty(), "Medusa has a default shipping profile");
        String id = onlyProduct(shirts.get(0).templateId()).path("id").asText();
        assertEquals(defaultProfile, read("/admin/products/" + id + "?fields=id,*shipping_profile").path("product").path("shipping_profile")
                .path("id").asText());
    }

    /** Issue 9: a new attribute value in Odoo (a new size) reaches Medusa as a new option value and a new variant. */
    @Test
    void aNewAttributeValueInOdooBecomesANewOptionValueAndVariantWithTheOthersUntouched() throws IOException {
        long templateId = newTemplateId();
        List<CatalogItem> shirts = shirt(templateId, "Poplin shirt");
        List<CatalogItem> other = shirt(newTemplateId(), "Twill shirt");
        List<CatalogItem> first = new ArrayList<>(shirts);
        first.addAll(other);
        accepted(medusa.push(first));
        JsonNode before = onlyProduct(templateId);

        List<CatalogItem> grown = new ArrayList<>(shirts);
        grown.add(item(templateId, "Poplin shirt", 4, "Red", "XL", "27.00", 5));
        grown.add(item(templateId, "Poplin shirt", 5, "Green", "M", "19.99", 2)); // a new color too
        List<CatalogItem> again = new ArrayList<>(grown);
        again.addAll(withPrice(other, 0, "18.00")); // another product of the same sync changes as well
        List<PushResult> results = medusa.push(again);

        accepted(results);
        JsonNode after = onlyProduct(templateId);
        assertEquals(before.path("id"), after.path("id"));
        assertEquals(Map.of("Color", Set.of("Red", "Blue", "Green"), "Size", Set.of("M", "L", "XL")), options(after));
        assertEquals(6, after.path("variants").size());
        for (CatalogItem item : grown) {
            JsonNode variant = variant(after, item.sku());
            assertEquals(item.attributes(), variantOptions(variant), item.sku());
            assertEquals(0, item.price().compareTo(variant.path("prices").path(0).path("amount").decimalValue()), item.sku());
            assertEquals(item.quantity(), stocked(item.sku()), item.sku());
        }
        for (CatalogItem item : shirts) {
            assertEquals(variant(before, item.sku()).path("id"), variant(after, item.sku()).path("id"), "variant " + item.sku() + " kept");
        }
        assertEquals(0, new BigDecimal("18.00").compareTo(variant(onlyProduct(other.get(0).templateId()), other.get(0).sku())
                .path("prices").path(0).path("amount").decimalValue()));
        assertEquals(MedusaConnector.Action.SKIP, medusa.plan(grown).get(0).action(), medusa.plan(grown).toString());
    }

    /** One template of 120 variants (10 colors × 12 sizes), pushed as the sync batches it, then found unchanged. */
    @Test
    void aProductOfOneHundredTwentyVariants() throws IOException {
        long templateId = newTemplateId();
        List<CatalogItem> catalog = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int s = 0; s < 12; s++) {
                catalog.add(item(templateId, "Rainbow tee", c * 12 + s, "Color " + c, "Size " + s, (10 + c) + "." + (10 + s), c + s));
            }
        }
        List<List<CatalogItem>> batches = medusa.batches(catalog);
        assertEquals(1, batches.size(), "a product's variants stay in one call");

        accepted(medusa.push(batches.get(0)));

        JsonNode product = onlyProduct(templateId);
        assertEquals(120, product.path("variants").size());
        assertEquals(10, options(product).get("Color").size());
        assertEquals(12, options(product).get("Size").size());
        Map<String, Integer> stocked = stockedBySku(catalog.stream().map(CatalogItem::sku).toList());
        for (CatalogItem item : catalog) {
            JsonNode variant = variant(product, item.sku());
            assertEquals(item.attributes(), variantOptions(variant));
            assertEquals(0, item.price().compareTo(variant.path("prices").path(0).path("amount").decimalValue()), item.sku());
            assertEquals(item.quantity(), stocked.get(item.sku()), item.sku());
        }
        List<MedusaConnector.ProductPlan> plan = medusa.plan(catalog);
        assertEquals(MedusaConnector.Action.SKIP, plan.get(0).action(), plan.toString());
    }

    @Test
    void aPriceChangeChangesOnlyThatPriceInPlace() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Oxford shirt");
        medusa.push(shirts);
        JsonNode before = onlyProduct(shirts.get(0).templateId());

        List<CatalogItem> changed = withPrice(shirts, 1, "17.50");
        accepted(medusa.push(changed));

        JsonNode after = onlyProduct(shirts.get(0).templateId());
        assertEquals(4, after.path("variants").size(), "no variant lost or added");
        for (CatalogItem item : shirts) {
            JsonNode was = variant(before, item.sku());
            JsonNode is = variant(after, item.sku());
            assertEquals(was.path("id"), is.path("id"), "variant " + item.sku() + " updated in place");
            if (item.sku().equals(shirts.get(1).sku())) {
                assertEquals(1, is.path("prices").size());
                assertEquals(0, new BigDecimal("17.50").compareTo(is.path("prices").path(0).path("amount").decimalValue()));
                assertEquals(was.path("prices").path(0).path("id"), is.path("prices").path(0).path("id"), "the same price record");
            } else {
                assertEquals(was.path("prices"), is.path("prices"), "prices of " + item.sku() + " untouched");
                assertEquals(was.path("updated_at"), is.path("updated_at"), "variant " + item.sku() + " untouched");
            }
        }
        assertEquals(MedusaConnector.Action.SKIP, medusa.plan(changed).get(0).action());
    }

    @Test
    void stockLevelsGoUpAndDownAndAStockChangeLeavesTheProductAlone() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Flannel shirt");
        accepted(medusa.push(shirts));
        JsonNode product = onlyProduct(shirts.get(0).templateId());

        List<CatalogItem> restocked = withQuantity(withQuantity(shirts, 2, 40), 3, 0);
        accepted(medusa.push(restocked));
        assertEquals(40, stocked(shirts.get(2).sku()));
        assertEquals(0, stocked(shirts.get(3).sku()));
        assertEquals(shirts.get(0).quantity(), stocked(shirts.get(0).sku()));

        accepted(medusa.push(withQuantity(restocked, 2, 1)));
        assertEquals(1, stocked(shirts.get(2).sku()));
        assertEquals(product, onlyProduct(shirts.get(0).templateId()), "a stock change leaves the product alone");
    }

    @Test
    void theDryRunSaysSkipUpdateOrCreateAndChangesNothing() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Chambray shirt");
        medusa.push(shirts);
        JsonNode product = onlyProduct(shirts.get(0).templateId());
        Map<String, Integer> levels = stockedBySku(shirts.stream().map(CatalogItem::sku).toList());

        List<MedusaConnector.ProductPlan> unchanged = medusa.plan(shirts);
        assertEquals(1, unchanged.size());
        assertEquals(MedusaConnector.Action.SKIP, unchanged.get(0).action(), unchanged.toString());
        assertEquals(shirts.stream().map(CatalogItem::sku).toList(), unchanged.get(0).skus());

        List<CatalogItem> changed = withQuantity(withPrice(shirts, 0, "21.00"), 3, 1);
        changed.add(item(shirts.get(0).templateId(), "Chambray shirt", 4, "Red", "XL", "23.00", 1));
        List<CatalogItem> newcomer = shirt(newTemplateId(), "Denim shirt");
        List<CatalogItem> both = new ArrayList<>(changed);
        both.addAll(newcomer);
        List<MedusaConnector.ProductPlan> plan = medusa.plan(both);

        assertEquals(2, plan.size(), plan.toString());
        MedusaConnector.ProductPlan update = plan.get(0);
        assertEquals(MedusaConnector.Action.UPDATE, update.action());
        assertEquals(List.of("option Size: + XL", shirts.get(0).sku() + " price usd: 19.99 → 21.00", changed.get(4).sku() + ": new variant",
                shirts.get(3).sku() + " quantity: " + shirts.get(3).quantity() + " → 1", changed.get(4).sku() + " quantity: none → 1"),
                update.differences());
        assertEquals(MedusaConnector.Action.CREATE, plan.get(1).action());
        assertEquals("odoo-template-" + newcomer.get(0).templateId(), plan.get(1).externalId());
        assertEquals(product, onlyProduct(shirts.get(0).templateId()), "a dry run changes nothing");
        assertEquals(levels, stockedBySku(shirts.stream().map(CatalogItem::sku).toList()));
        assertEquals(0, products(newcomer.get(0).templateId()).size(), "a dry run creates nothing");
    }

    @Test
    void aDuplicateSkuRejectsOnlyItsProductWithMedusasMessage() throws IOException {
        List<CatalogItem> first = shirt(newTemplateId(), "Polo shirt");
        medusa.push(first);
        String taken = first.get(0).sku();
        List<CatalogItem> clash = new ArrayList<>(shirt(newTemplateId(), "Rugby shirt"));
        clash.set(2, withSku(clash.get(2), taken)); // another template claims an existing SKU
        List<CatalogItem> fine = shirt(newTemplateId(), "Henley shirt");
        List<CatalogItem> batch = new ArrayList<>(clash);
        batch.addAll(fine);

        List<PushResult> results = medusa.push(batch);

        for (int i = 0; i < 4; i++) {
            assertEquals(PushResult.Outcome.REJECTED, results.get(i).outcome(), results.get(i).toString());
            assertEquals("Medusa: invalid_data: Product variant with sku: " + taken + ", already exists.", results.get(i).reason());
        }
        accepted(results.subList(4, 8));
        assertEquals(4, onlyProduct(fine.get(0).templateId()).path("variants").size());
        assertEquals(0, products(clash.get(0).templateId()).size());
        assertEquals(first.get(0).productId(), variantBySku(taken).path("metadata").path("odoo_product_id").asLong(),
                "the SKU stays with its product");
    }

    @Test
    void pricesAreInTheConfiguredCurrencyAndAnotherCurrencyIsRejectedBeforeAnyCall() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Euro shirt");
        CatalogItem euros = withCurrency(shirts.get(0), "EUR");

        List<PushResult> results = medusa.push(List.of(euros));

        assertEquals(PushResult.Outcome.REJECTED, results.get(0).outcome());
        assertTrue(results.get(0).reason().contains("marketbridge.medusa.currency"), results.get(0).reason());
        assertEquals(0, products(shirts.get(0).templateId()).size());

        List<CatalogItem> rest = shirts.subList(1, 4);
        accepted(medusa.push(rest));
        for (CatalogItem item : rest) {
            JsonNode prices = variantBySku(item.sku()).path("prices");
            assertEquals(1, prices.size());
            assertEquals("usd", prices.path(0).path("currency_code").asText());
        }
    }

    @Test
    void theConnectionTestFindsTheKeyAndTheStockLocationGood() {
        assertEquals(java.util.Optional.empty(), medusa.connectionProblem());
    }

    // --- Medusa's own answers, which the simulator must give as the real server does ----------------

    /** Issue 9: since 2.16 a product update refuses {@code options}, in a batch and alone, naming no product. */
    @Test
    void medusaRefusesOptionsInAProductUpdate() throws IOException {
        List<CatalogItem> shirts = shirt(newTemplateId(), "Seersucker shirt");
        medusa.push(shirts);
        JsonNode product = onlyProduct(shirts.get(0).templateId());
        String optionId = product.path("options").path(0).path("id").asText();
        Map<String, Object> update = Map.of("id", product.path("id").asText(), "title", "Seersucker shirt",
                "options", List.of(Map.of("id", optionId, "title", "Color", "values", List.of("Red", "Blue", "Green"))));
        String removed = "Invalid request: The 'options' property was removed in version 2.16.0. Please remove it from your request payload.";

        asMedusaClient().body(Map.of("update", List.of(update))).post("/admin/products/batch").then().statusCode(400)
                .body("type", is("invalid_data")).body("message", is(removed));
        asMedusaClient().body(Map.of("title", "Seersucker shirt", "options", update.get("options")))
                .post("/admin/products/" + product.path("id").asText()).then().statusCode(400)
                .body("type", is("invalid_data")).body("message", is(removed));
        assertEquals(product, onlyProduct(shirts.get(0).templateId()), "nothing applied");
    }

    @Test
    void medusasAnswersToUnknownIdsAKnownSkuAndAMissingKey() {
        String sku = newSku();
        Map<String, Object> variant = Map.of("title", "M", "sku", sku, "options", Map.of("Size", "M"),
                "prices", List.of(Map.of("currency_code", "usd", "amount", 5)));
        asMedusaClient().body(Map.of("update", List.of(Map.of("id", "prod_missing", "title", "T"))))
                .post("/admin/products/batch").then().statusCode(404).body("type", is("not_found"))
                .body("message", is("Unable to update the products with ids: prod_missing"));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "Holder of " + sku,
                "options", List.of(Map.of("title", "Size", "values", List.of("M"))), "variants", List.of(variant)))))
                .post("/admin/products/batch").then().statusCode(200);
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "Claimer of " + sku,
                "options", List.of(Map.of("title", "Size", "values", List.of("M"))), "variants", List.of(variant)))))
                .post("/admin/products/batch").then().statusCode(400).body("type", is("invalid_data"))
                .body("message", is("Product variant with sku: " + sku + ", already exists."));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "T", "sku", newSku(), "options", Map.of("Size", "M"),
                "prices", List.of(Map.of("currency_code", "usd", "amount", 1))))))
                .post("/admin/products/prod_missing/variants/batch").then().statusCode(400).body("type", is("invalid_data"))
                .body("message", is("Product has 0 option values but there were 1 provided option values for the variant: T."));
        asMedusaClient().body(Map.of("create", List.of(Map.of("title", "T", "sku", newSku(),
                "prices", List.of(Map.of("currency_code", "usd", "amount", 1))))))
                .post("/admin/products/prod_missing/variants/batch").then().statusCode(404).body("type", is("not_found"))
                .body("message", is("You tried to set relationship product_id: prod_missing, but such entity does not exist"));
        given().baseUri(setting("marketbridge.medusa.url")).get("/admin/products").then().statusCode(401)
                .body("message", is("Unauthorized")).body("type", nullValue());
        asMedusaClient().get("/admin/no-such-route").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Cannot GET /admin/no-such-route"));
    }

    // --- Odoo's side: catalog items ----------------------------------------------------------------

    /** Four variants of one template: Color × Size, with distinct prices and quantities. */
    static List<CatalogItem> shirt(long templateId, String name) {
        List<CatalogItem> items = new ArrayList<>();
        String[][] variants = {{"Red", "M", "19.99", "3"}, {"Red", "L", "24.50", "0"}, {"Blue", "M", "19.99", "7"}, {"Blue", "L", "1049.00", "12"}};
        for (int i = 0; i < variants.length; i++) {
            items.add(item(templateId, name, i, variants[i][0], variants[i][1], variants[i][2], Integer.parseInt(variants[i][3])));
        }
        return items;
    }

    static CatalogItem item(long templateId, String name, int index, String color, String size, String price, int quantity) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Color", color);
        attributes.put("Size", size);
        return new CatalogItem(newSku(), templateId * 1000 + index, templateId, name, name + " (" + color + ", " + size + ")",
                "A shirt", new BigDecimal(price), "USD", quantity, attributes, "4000000" + (1000 + index));
    }

    static long newTemplateId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    static List<CatalogItem> withPrice(List<CatalogItem> items, int index, String price) {
        List<CatalogItem> changed = new ArrayList<>(items);
        CatalogItem i = items.get(index);
        changed.set(index, new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(),
                new BigDecimal(price), i.currency(), i.quantity(), i.attributes(), i.barcode()));
        return changed;
    }

    static List<CatalogItem> withQuantity(List<CatalogItem> items, int index, int quantity) {
        List<CatalogItem> changed = new ArrayList<>(items);
        CatalogItem i = items.get(index);
        changed.set(index, new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                i.currency(), quantity, i.attributes(), i.barcode()));
        return changed;
    }

    static CatalogItem withSku(CatalogItem i, String sku) {
        return new CatalogItem(sku, i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                i.currency(), i.quantity(), i.attributes(), i.barcode());
    }

    static CatalogItem withCurrency(CatalogItem i, String currency) {
        return new CatalogItem(i.sku(), i.productId(), i.templateId(), i.templateName(), i.name(), i.description(), i.price(),
                currency, i.quantity(), i.attributes(), i.barcode());
    }

    static void accepted(List<PushResult> results) {
        results.forEach(r -> assertEquals(PushResult.Outcome.ACCEPTED, r.outcome(), r.toString()));
    }

    // --- Medusa's side, read from its Admin API ------------------------------------------------------

    static String setting(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    static RequestSpecification asMedusaClient() {
        return given().baseUri(setting("marketbridge.medusa.url")).auth().preemptive().basic(setting("marketbridge.medusa.api-key"), "")
                .contentType(ContentType.JSON);
    }

    static JsonNode read(String pathAndQuery) throws IOException {
        return JSON.readTree(asMedusaClient().urlEncodingEnabled(false).get(pathAndQuery).then().statusCode(200).extract().asString());
    }

    static List<JsonNode> products(long templateId) throws IOException {
        JsonNode answer = read("/admin/products?external_id=odoo-template-" + templateId + "&fields=" + MedusaApi.encode(PRODUCT_FIELDS));
        return StreamSupport.stream(answer.path("products").spliterator(), false).toList();
    }

    /** The template's one product, its lists in id order: Medusa answers variants and options in no fixed order. */
    static JsonNode onlyProduct(long templateId) throws IOException {
        List<JsonNode> products = products(templateId);
        assertEquals(1, products.size(), "one product for template " + templateId);
        return inIdOrder(products.get(0).deepCopy());
    }

    private static JsonNode inIdOrder(JsonNode node) {
        if (node.isObject()) {
            node.properties().forEach(field -> ((ObjectNode) node).set(field.getKey(), inIdOrder(field.getValue())));
        } else if (node.isArray()) {
            List<JsonNode> elements = new ArrayList<>();
            node.forEach(element -> elements.add(inIdOrder(element)));
            elements.sort(Comparator.comparing(element -> element.path("id").asText()));
            ((ArrayNode) node).removeAll().addAll(elements);
        }
        return node;
    }

    static JsonNode variant(JsonNode product, String sku) {
        for (JsonNode variant : product.path("variants")) {
            if (sku.equals(variant.path("sku").asText())) {
                return variant;
            }
        }
        throw new AssertionError("no variant " + sku + " in " + product);
    }

    static JsonNode variantBySku(String sku) throws IOException {
        JsonNode variants = read("/admin/product-variants?sku=" + MedusaApi.encode(sku) + "&fields="
                + MedusaApi.encode("id,sku,title,metadata,*prices,*product")).path("variants");
        assertEquals(1, variants.size(), "one variant with SKU " + sku);
        return variants.get(0);
    }

    static Map<String, Set<String>> options(JsonNode product) {
        Map<String, Set<String>> options = new HashMap<>();
        for (JsonNode option : product.path("options")) {
            options.put(option.path("title").asText(), StreamSupport.stream(option.path("values").spliterator(), false)
                    .map(v -> v.path("value").asText()).collect(Collectors.toSet()));
        }
        return options;
    }

    static Map<String, String> variantOptions(JsonNode variant) {
        Map<String, String> options = new LinkedHashMap<>();
        variant.path("options").forEach(v -> options.put(v.path("option").path("title").asText(), v.path("value").asText()));
        return options;
    }

    static int stocked(String sku) throws IOException {
        Integer stocked = stockedBySku(List.of(sku)).get(sku);
        if (stocked == null) {
            throw new AssertionError("no level at the stock location for " + sku);
        }
        return stocked;
    }

    /** The stocked quantity at the configured location per SKU (SKUs without an inventory item or a level there left out). */
    static Map<String, Integer> stockedBySku(List<String> skus) throws IOException {
        String location = setting("marketbridge.medusa.stock-location-id");
        JsonNode items = read("/admin/inventory-items?limit=" + skus.size() + "&fields=" + MedusaApi.encode("id,sku,*location_levels") + "&"
                + MedusaApi.anyOf("sku", skus)).path("inventory_items");
        Map<String, Integer> stocked = new HashMap<>();
        for (JsonNode item : items) {
            for (JsonNode level : item.path("location_levels")) {
                if (location.equals(level.path("location_id").asText())) {
                    assertNotEquals(-1, level.path("available_quantity").asInt(-1), "available_quantity shown");
                    stocked.put(item.path("sku").asText(), level.path("stocked_quantity").asInt());
                }
            }
        }
        return stocked;
    }
}

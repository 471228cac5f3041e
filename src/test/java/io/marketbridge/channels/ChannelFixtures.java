package io.marketbridge.channels;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** A catalog in the simulated Odoo, listed on the simulated eBay, and what each simulated channel holds. */
final class ChannelFixtures {

    private static final String MEDUSA_KEY = "sk_sandbox_marketbridge_medusa";

    private ChannelFixtures() {
    }

    /** One Odoo template of {@code variants} variants (SKUs {@code <prefix>-1-<n>}), each also listed on eBay. */
    record Catalog(long templateId, List<String> skus) {
        String sku(int n) {
            return skus.get(n - 1);
        }
    }

    static Catalog catalog(int variants, String price, int quantity) {
        return catalog(1, variants, price, quantity, true);
    }

    /**
     * {@code templates} Odoo templates of {@code variants} variants each (SKUs {@code <prefix>-<t>-<n>}), listed on
     * eBay or not; the template id is the first template's.
     */
    static Catalog catalog(int templates, int variants, String price, int quantity, boolean listedOnEbay) {
        String prefix = "CH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        given().contentType("application/json").body(Map.of("templates", templates, "variantsPerTemplate", variants, "skuPrefix", prefix,
                "price", Double.parseDouble(price), "quantity", quantity)).post("/sandbox/odoo/_catalog").then().statusCode(200);
        if (listedOnEbay) {
            for (int t = 1; t <= templates; t++) {
                given().contentType("application/json").body(Map.of("count", variants, "skuPrefix", prefix + "-" + t, "quantity", 0,
                        "price", "1.00")).post("/sandbox/ebay/_inventory").then().statusCode(200);
            }
        }
        long template = ((Number) ((List<?>) odoo("product.product", List.of(List.of("default_code", "=", prefix + "-1-1")),
                List.of("product_tmpl_id")).get(0).get("product_tmpl_id")).get(0)).longValue();
        List<String> skus = IntStream.rangeClosed(1, templates).boxed()
                .flatMap(t -> IntStream.rangeClosed(1, variants).mapToObj(n -> prefix + "-" + t + "-" + n)).toList();
        onboardOnCartona(skus);
        return new Catalog(template, skus);
    }

    /** Cartona's key of each SKU: the Odoo variant id (marketbridge.cartona.product-key's default). */
    private static final Map<String, String> CARTONA_IDS = new ConcurrentHashMap<>();

    /** The supplier puts these Odoo variants on Cartona (keyed by variant id), as Cartona only updates products it holds. */
    static void onboardOnCartona(List<String> skus) {
        for (int from = 0; from < skus.size(); from += 500) {
            odoo("product.product", List.of(List.of("default_code", "in", skus.subList(from, Math.min(skus.size(), from + 500)))),
                    List.of("id", "default_code")).forEach(p -> CARTONA_IDS.put((String) p.get("default_code"), String.valueOf(p.get("id"))));
        }
        given().contentType("application/json").body(skus.stream().map(ChannelFixtures::cartonaId).toList())
                .post("/sandbox/cartona/_products").then().statusCode(200);
    }

    /** What Cartona knows the SKU by. */
    static String cartonaId(String sku) {
        return CARTONA_IDS.computeIfAbsent(sku, s -> String.valueOf(odoo("product.product", List.of(List.of("default_code", "=", s)),
                List.of("id")).get(0).get("id")));
    }

    /** A person changes the template's sales price in Odoo. */
    static void odooPrice(long templateId, String price) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", "product.template",
                        "write", List.of(List.of(templateId), Map.of("list_price", Double.parseDouble(price))), Map.of())));
        given().contentType("application/json").body(call).post("/sandbox/odoo/jsonrpc").then().statusCode(200);
    }

    /** Starts a full sync (or dry run) through the admin API and waits for its end; returns its report. */
    static JsonPath fullSync(String channel, boolean dryRun) {
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/sync/" + channel + "?dryRun=" + dryRun).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(report(channel).getString("state")));
        return report(channel);
    }

    static JsonPath report(String channel) {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/sync/" + channel).then().statusCode(200)
                .extract().jsonPath();
    }

    static JsonPath stats(String channel) {
        String path = switch (channel) {
            case "ebay" -> "/sandbox/ebay/_inventory/stats";
            case "cartona" -> "/sandbox/cartona/_stats";
            default -> "/sandbox/medusa/_stats";
        };
        return given().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** eBay calls to one endpoint of the Inventory API ({@code offer}: getOffers, {@code inventory_item}: getInventoryItems). */
    static long ebayCalls(JsonPath stats, String endpoint) {
        Object count = stats.getMap("calls").get(endpoint);
        return count == null ? 0 : ((Number) count).longValue();
    }

    static long ebayBulkCalls(JsonPath stats) {
        return calls(stats, "bulk_update_price_quantity");
    }

    static long cartonaBulkCalls(JsonPath stats) {
        return calls(stats, "bulk-update");
    }

    private static long calls(JsonPath stats, String endpoint) {
        Map<String, Object> calls = stats.getMap("calls");
        return calls.entrySet().stream().filter(e -> e.getKey().contains(endpoint)).mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    }

    static String ebayPrice(String sku) {
        return given().get("/sandbox/ebay/_inventory/items/" + sku).then().extract().jsonPath().getString("price");
    }

    static String cartonaPrice(String sku) {
        var answer = given().get("/sandbox/cartona/_products/" + cartonaId(sku));
        return answer.statusCode() == 200 ? answer.jsonPath().getString("selling_price") : null;
    }

    static int cartonaStock(String sku) {
        return given().get("/sandbox/cartona/_products/" + cartonaId(sku)).then().statusCode(200).extract().jsonPath()
                .getInt("available_stock_quantity");
    }

    static Double medusaPrice(String sku) {
        JsonPath variants = given().auth().preemptive().basic(MEDUSA_KEY, "").get("/sandbox/medusa/admin/product-variants?sku=" + sku)
                .then().statusCode(200).extract().jsonPath();
        Object amount = variants.get("variants[0].prices[0].amount");
        return amount == null ? null : ((Number) amount).doubleValue();
    }

    static int ebayQuantity(String sku) {
        return given().get("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200).extract().jsonPath().getInt("availableQuantity");
    }

    /** What Medusa stocks of the SKU at the sandbox's stock location, or null without a level there. */
    static Integer medusaStock(String sku) {
        JsonPath items = given().auth().preemptive().basic(MEDUSA_KEY, "").get("/sandbox/medusa/admin/inventory-items?sku=" + sku
                + "&fields=id,sku,*location_levels").then().statusCode(200).extract().jsonPath();
        return items.get("inventory_items[0].location_levels.find { it.location_id == 'sloc_sandbox' }.stocked_quantity");
    }

    /** A person changes the product (archives it, takes it off the website...) in Odoo. */
    static void odooWrite(String model, long id, Map<String, Object> values) {
        io.marketbridge.testsupport.Sandbox.odooWrite(model, List.of(id), values);
    }

    static void ebayItemRule(String sku, Map<String, Object> rule) {
        given().contentType("application/json").body(rule).post("/sandbox/ebay/_inventory/items/" + sku).then().statusCode(200);
    }

    /** {@code {"drop":[id]}} or {@code {"reject":{id:message}}} by Cartona's key ({@link #cartonaId}); null clears every rule. */
    static void cartonaRules(Map<String, Object> rules) {
        if (rules == null) {
            given().delete("/sandbox/cartona/_rules").then().statusCode(200);
        } else {
            given().contentType("application/json").body(rules).post("/sandbox/cartona/_rules").then().statusCode(200);
        }
    }

    static long done(String type) {
        return inboxCount(type, "DONE");
    }
}

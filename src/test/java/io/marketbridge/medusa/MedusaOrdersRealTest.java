package io.marketbridge.medusa;

import io.marketbridge.testsupport.RealMedusaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.PushResult;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.marketbridge.medusa.MedusaConnectorContract.asMedusaClient;
import static io.restassured.RestAssured.given;

/**
 * The Medusa orders contract against a real Medusa 2.21.2 ({@link RealMedusaResource}), each order placed as a shopper
 * places it through the Store API: a cart in a region, the shipping method a shipping option offers, a payment
 * session with Medusa's system payment provider, then complete. The shop is set up once, through the Admin API with
 * the service's secret key: a USD region for Germany with the system provider, the stock location's fulfillment set,
 * service zone and manual provider, a flat 4.50 shipping option for Medusa's default shipping profile, a publishable key
 * in the sales channel; each item is a product the service's connector pushes, with the SKU Odoo knows.
 */
@QuarkusTest
@QuarkusTestResource(value = RealMedusaResource.class, restrictToAnnotatedClass = true)
class MedusaOrdersRealTest extends MedusaOrdersContract {

    @Inject
    MedusaConnector connector;

    private static String regionId;
    private static String shippingProfileId;
    private static String publishableKey;
    private static String salesChannelId;

    @Override
    String place(List<Item> items, boolean captured) {
        setUpShop();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Item item : items) {
            lines.add(Map.of("variant_id", variant(item), "quantity", item.quantity()));
        }
        String cart = store().body(Map.of("region_id", regionId, "sales_channel_id", salesChannelId,
                "email", "shopper-" + System.nanoTime() + "@example.com", "items", lines,
                "shipping_address", Map.of("first_name", "Ann", "last_name", "Lee", "address_1", "1 Main St", "city", "Berlin",
                        "postal_code", "10115", "country_code", "de", "phone", "+49 30 1234")))
                .post("/store/carts").then().log().ifValidationFails().statusCode(200).extract().jsonPath().getString("cart.id");
        String option = store().get("/store/shipping-options?cart_id=" + cart).then().log().ifValidationFails().statusCode(200).extract().jsonPath()
                .getString("shipping_options[0].id");
        store().body(Map.of("option_id", option)).post("/store/carts/" + cart + "/shipping-methods").then().log().ifValidationFails().statusCode(200);
        String collection = store().body(Map.of("cart_id", cart)).post("/store/payment-collections").then().log().ifValidationFails().statusCode(200)
                .extract().jsonPath().getString("payment_collection.id");
        store().body(Map.of("provider_id", "pp_system_default")).post("/store/payment-collections/" + collection + "/payment-sessions")
                .then().log().ifValidationFails().statusCode(200);
        JsonPath completed = store().body(Map.of()).post("/store/carts/" + cart + "/complete").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        if (!"order".equals(completed.getString("type"))) {
            throw new AssertionError("the cart did not become an order: " + completed.prettify());
        }
        String order = completed.getString("order.id");
        if (captured) {
            capture(order);
        }
        return order;
    }

    @Override
    void capture(String orderId) {
        String payment = asMedusaClient().get("/admin/orders/" + orderId + "?fields=id,*payment_collections.payments").then().log().ifValidationFails().statusCode(200)
                .extract().jsonPath().getString("order.payment_collections[0].payments[0].id");
        asMedusaClient().body(Map.of()).post("/admin/payments/" + payment + "/capture").then().log().ifValidationFails().statusCode(200);
    }

    private static RequestSpecification store() {
        return given().baseUri(setting("marketbridge.medusa.url")).header("x-publishable-api-key", publishableKey)
                .contentType(ContentType.JSON);
    }

    /**
     * The item as Odoo's catalog reaches Medusa: pushed by the service's own connector (published in the sales channel,
     * with Medusa's default shipping profile, 10 in stock at the stock location), so the order shows that what the
     * service makes in Medusa is buyable there.
     */
    private String variant(Item item) {
        long templateId = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
        CatalogItem product = new CatalogItem(item.sku(), templateId * 10, templateId, "Product " + item.sku(), "Product " + item.sku(),
                "Sold through the storefront", BigDecimal.valueOf(item.unitPrice()), "USD", 10, Map.of("Size", "One size"), null);
        List<PushResult> results = connector.push(List.of(product));
        if (results.stream().anyMatch(r -> r.outcome() != PushResult.Outcome.ACCEPTED)) {
            throw new AssertionError("the connector did not push " + item.sku() + ": " + results);
        }
        return asMedusaClient().get("/admin/product-variants?sku=" + item.sku() + "&fields=id").then().log().ifValidationFails().statusCode(200)
                .extract().jsonPath().getString("variants[0].id");
    }

    private static synchronized void setUpShop() {
        if (regionId != null) {
            return;
        }
        salesChannelId = setting("marketbridge.medusa.sales-channel-id");
        String location = setting("marketbridge.medusa.stock-location-id");
        List<String> profiles = asMedusaClient().get("/admin/shipping-profiles?type=default&fields=id").then().log().ifValidationFails().statusCode(200).extract()
                .jsonPath().getList("shipping_profiles.id", String.class);
        if (profiles.isEmpty()) {
            throw new AssertionError("Medusa made no default shipping profile when it migrated");
        }
        shippingProfileId = profiles.get(0); // the one the connector gives new products
        asMedusaClient().body(Map.of("add", List.of("manual_manual"))).post("/admin/stock-locations/" + location + "/fulfillment-providers")
                .then().log().ifValidationFails().statusCode(200);
        String fulfillmentSet = asMedusaClient().body(Map.of("name", "Marketbridge shipping", "type", "shipping"))
                .post("/admin/stock-locations/" + location + "/fulfillment-sets?fields=id,*fulfillment_sets").then().log().ifValidationFails().statusCode(200)
                .extract().jsonPath().getString("stock_location.fulfillment_sets[0].id");
        String serviceZone = asMedusaClient().body(Map.of("name", "Germany", "geo_zones", List.of(Map.of("type", "country", "country_code", "de"))))
                .post("/admin/fulfillment-sets/" + fulfillmentSet + "/service-zones").then().log().ifValidationFails().statusCode(200).extract().jsonPath()
                .getString("fulfillment_set.service_zones[0].id");
        asMedusaClient().body(Map.of("name", "Standard shipping", "service_zone_id", serviceZone, "shipping_profile_id", shippingProfileId,
                "provider_id", "manual_manual", "price_type", "flat",
                "type", Map.of("label", "Standard", "description", "Standard shipping", "code", "standard"),
                "prices", List.of(Map.of("currency_code", "usd", "amount", 4.5)),
                "rules", List.of(Map.of("attribute", "enabled_in_store", "value", "true", "operator", "eq"),
                        Map.of("attribute", "is_return", "value", "false", "operator", "eq"))))
                .post("/admin/shipping-options").then().log().ifValidationFails().statusCode(200);
        JsonPath key = asMedusaClient().body(Map.of("title", "Marketbridge storefront", "type", "publishable")).post("/admin/api-keys")
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        asMedusaClient().body(Map.of("add", List.of(salesChannelId))).post("/admin/api-keys/" + key.getString("api_key.id") + "/sales-channels")
                .then().log().ifValidationFails().statusCode(200);
        publishableKey = key.getString("api_key.token");
        regionId = asMedusaClient().body(Map.of("name", "Marketbridge EU", "currency_code", "usd", "countries", List.of("de"),
                "payment_providers", List.of("pp_system_default"))).post("/admin/regions").then().log().ifValidationFails().statusCode(200).extract().jsonPath()
                .getString("region.id");
    }

    private static String setting(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}

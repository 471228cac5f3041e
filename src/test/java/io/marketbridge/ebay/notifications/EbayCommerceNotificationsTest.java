package io.marketbridge.ebay.notifications;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.ebay.orders.EbayOrderPoller;
import io.marketbridge.pipeline.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odoo;
import static io.marketbridge.testsupport.Sandbox.odooCreate;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eBay's Commerce Notification API: the endpoint challenge, ECDSA-verified pushes (412 when
 * tampered, nothing processed), the public key fetched once per kid, duplicates absorbed, order
 * confirmations imported, and a revoked authorization pausing eBay.
 */
@QuarkusTest
@TestProfile(EbayCommerceNotificationsTest.RegisteredEndpoint.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EbayCommerceNotificationsTest implements EbayContractChecked {

    static final String ENDPOINT = "https://marketbridge.example.com/webhooks/ebay/events";
    static final String TOKEN = "sandbox_verification_token_0123456789-abcdef";

    /** A connected seller whose notification endpoint is registered with eBay. */
    public static class RegisteredEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h", "marketbridge.ebay.orders.poll-delay", "1h",
                    "marketbridge.ebay.notification.endpoint-url", ENDPOINT,
                    "marketbridge.ebay.notification.verification-token", TOKEN);
        }
    }

    @Inject
    EbayOrderPoller poller;
    @Inject
    Database database;

    private static JsonPath signed(String topic, Map<String, Object> data, String notificationId) {
        return given().contentType("application/json").body(Map.of("topic", topic, "data", data, "notificationId", notificationId))
                .post("/sandbox/ebay/_commerce/sign").then().statusCode(200).extract().jsonPath();
    }

    private static io.restassured.response.Response push(String body, String signature) {
        return given().contentType("application/json").header("X-EBAY-SIGNATURE", signature).body(body).post("/webhooks/ebay/events");
    }

    private static int keyFetches() {
        return given().get("/sandbox/ebay/_commerce/stats").then().extract().jsonPath().getInt("publicKeyFetches");
    }

    @Test
    @Order(1)
    void theChallengeResponseMatchesAnIndependentComputation() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("a8628072-3d33-45ee-9004-bee86830a22d" + TOKEN + ENDPOINT).getBytes(StandardCharsets.UTF_8)));
        given().get("/webhooks/ebay/events?challenge_code=a8628072-3d33-45ee-9004-bee86830a22d").then().statusCode(200)
                .contentType("application/json").body("challengeResponse", org.hamcrest.Matchers.is(expected));
    }

    @Test
    @Order(2)
    void anOrderConfirmationImportsTheOrderAndTheKeyIsFetchedOnce() {
        String sku = newSku();
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        List<String> ids = given().contentType("application/json").body(Map.of("lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "9.00"))))
                .post("/sandbox/ebay/_orders").then().extract().jsonPath().getList("orderIds", String.class);
        int fetches = keyFetches();
        String notificationId = UUID.randomUUID().toString();
        JsonPath push = signed("ORDER_CONFIRMATION", Map.of("orderId", ids.get(0)), notificationId);
        long stored = inboxCount("ebay.ORDER_CONFIRMATION", "DONE");

        push(push.getString("body"), push.getString("signature")).then().statusCode(204);
        push(push.getString("body"), push.getString("signature")).then().statusCode(204); // eBay's retry
        JsonPath another = signed("ORDER_CONFIRMATION", Map.of("orderId", ids.get(0)), UUID.randomUUID().toString());
        push(another.getString("body"), another.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> odoo("sale.order",
                List.of(List.of("client_order_ref", "=", "ebay:" + ids.get(0))), List.of("state")).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> inboxCount("ebay.ORDER_CONFIRMATION", "DONE") == stored + 2);
        assertEquals(1, odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + ids.get(0))), List.of("state")).size());
        assertEquals(fetches + 1, keyFetches(), "the kid's key is fetched once, then served from the cache");
    }

    @Test
    @Order(3)
    void aTamperedBodyOrSignatureGets412AndNothingIsStored() {
        JsonPath push = signed("ORDER_CONFIRMATION", Map.of("orderId", "12-00000-00000"), UUID.randomUUID().toString());
        long before = inboxCount("ebay.ORDER_CONFIRMATION", "DONE") + inboxCount("ebay.ORDER_CONFIRMATION", "PENDING")
                + inboxCount("ebay.ORDER_CONFIRMATION", "DEAD");

        push(push.getString("body").replace("12-00000-00000", "12-99999-99999"), push.getString("signature"))
                .then().statusCode(412).body("error", containsString("does not match"));
        JsonPath other = signed("ORDER_CONFIRMATION", Map.of("orderId", "12-11111-11111"), UUID.randomUUID().toString());
        push(push.getString("body"), other.getString("signature")).then().statusCode(412);
        push(push.getString("body"), "not-a-signature").then().statusCode(412);
        push(push.getString("body"), java.util.Base64.getEncoder().encodeToString(
                "{\"alg\":\"ecdsa\",\"kid\":\"unknown-kid\",\"signature\":\"AAAA\",\"digest\":\"SHA1\"}".getBytes(StandardCharsets.UTF_8)))
                .then().statusCode(412).body("error", containsString("no eBay public key for kid unknown-kid"));

        assertEquals(before, inboxCount("ebay.ORDER_CONFIRMATION", "DONE") + inboxCount("ebay.ORDER_CONFIRMATION", "PENDING")
                + inboxCount("ebay.ORDER_CONFIRMATION", "DEAD"), "nothing stored");
    }

    @Test
    @Order(4)
    void afterAnAccountDeletionTheBuyersDataIsInNeitherOdooNorOurStore() throws Exception {
        String sku = newSku();
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String username = "leaving_" + unique;
        Map<String, String> personal = Map.of("email", unique + "@buyer.example.com", "fullName", "Erin " + unique,
                "phone", "0155" + Math.abs(unique.hashCode()), "street", unique + " Privacy Lane", "postalCode", "P" + unique);
        Map<String, Object> order = new java.util.HashMap<>(personal);
        order.putAll(Map.of("buyer", username, "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "12.00"))));
        String orderId = given().contentType("application/json").body(order).post("/sandbox/ebay/_orders").then().statusCode(200)
                .extract().jsonPath().getList("orderIds", String.class).get(0);
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> !odoo("res.partner",
                List.of(List.of("email", "=", personal.get("email"))), List.of("id")).isEmpty());
        assertTrue(storedEventsMentioning(username) > 0, "the polled order is stored with its buyer");

        JsonPath push = signed("MARKETPLACE_ACCOUNT_DELETION", Map.of("username", username, "userId", "uid-" + unique,
                "eiasToken", "nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6" + unique), UUID.randomUUID().toString());
        push(push.getString("body"), push.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> odoo("res.partner",
                List.of(List.of("ref", "=", "ebay_buyer_" + username)), List.of("id")).isEmpty());
        for (Map.Entry<String, String> field : Map.of("email", personal.get("email"), "name", personal.get("fullName"),
                "phone", personal.get("phone"), "street", personal.get("street"), "zip", personal.get("postalCode")).entrySet()) {
            assertEquals(List.of(), odoo("res.partner", List.of(List.of(field.getKey(), "=", field.getValue())), List.of("id")),
                    "no partner keeps the buyer's " + field.getKey());
        }
        assertEquals(List.of(), odoo("ir.model.data", List.of(List.of("name", "=", "ebay_buyer_" + username)), List.of("id")));
        List<Map<String, Object>> kept = odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + orderId)),
                List.of("partner_id"));
        assertEquals(1, kept.size(), "the order stays");
        long customer = ((Number) ((List<?>) kept.get(0).get("partner_id")).get(0)).longValue();
        assertEquals("Erased eBay buyer", odoo("res.partner", List.of(List.of("id", "=", customer)), List.of("name")).get(0).get("name"));
        for (String value : List.of(username, personal.get("email"), personal.get("fullName"), personal.get("phone"),
                personal.get("street"), "uid-" + unique)) {
            assertEquals(0, storedEventsMentioning(value), "our store no longer holds " + value);
        }
    }

    @Test
    @Order(4)
    void anAccountDeletionFindsABuyerKnownByItsImmutableUserId() throws Exception {
        // eBay sends some applications an immutable user id in buyer.username instead of the name
        String sku = newSku();
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String userId = "u" + unique;
        given().contentType("application/json").body(Map.of("buyer", userId, "email", unique + "@id.example.com",
                "lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "12.00")))).post("/sandbox/ebay/_orders").then().statusCode(200);
        poller.poll();
        await().atMost(Duration.ofSeconds(15)).until(() -> !odoo("res.partner",
                List.of(List.of("ref", "=", "ebay_buyer_" + userId)), List.of("id")).isEmpty());

        JsonPath push = signed("MARKETPLACE_ACCOUNT_DELETION", Map.of("username", "name_" + unique, "userId", userId,
                "eiasToken", "nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6" + unique), UUID.randomUUID().toString());
        push(push.getString("body"), push.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> odoo("res.partner",
                List.of(List.of("ref", "=", "ebay_buyer_" + userId)), List.of("id")).isEmpty());
        assertEquals(List.of(), odoo("res.partner", List.of(List.of("email", "=", unique + "@id.example.com")), List.of("id")));
        assertEquals(0, storedEventsMentioning(userId), "our store no longer holds the user id");
    }

    @Test
    @Order(2)
    void anOrderConfirmationNamingItsOrderUnderDataOrderIsImportedAndOnlyItsIdsAreKept() throws Exception {
        String sku = newSku();
        odooCreate("product.template", Map.of("name", "Product " + sku, "default_code", sku, "type", "product"));
        String orderId = given().contentType("application/json").body(Map.of("lines", List.of(Map.of("sku", sku, "quantity", 1, "price", "9.00"))))
                .post("/sandbox/ebay/_orders").then().extract().jsonPath().getList("orderIds", String.class).get(0);
        String secret = "Shipping note " + UUID.randomUUID();
        // where real deliveries are reported to carry it: data.order.orderId, with buyer details around it
        JsonPath push = signed("ORDER_CONFIRMATION", Map.of("order", Map.of("orderId", orderId, "note", secret,
                "buyer", Map.of("username", "buyer_" + sku, "userId", "uid_" + sku),
                "lineItems", List.of(Map.of("lineItemId", "10" + sku, "title", secret)))), UUID.randomUUID().toString());
        push(push.getString("body"), push.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> odoo("sale.order",
                List.of(List.of("client_order_ref", "=", "ebay:" + orderId)), List.of("state")).size() == 1);
        assertTrue(storedEventsMentioning("10" + sku) > 0, "the ids of the push are kept, for a replay");
        assertEquals(0, storedEventsMentioning(secret), "nothing but ids is kept of the push");
        assertEquals(0, storedEventsMentioning("uid_" + sku), "not the buyer's ids either");
    }

    /** Inbox events (the deletion request included) and dead letters whose stored text contains {@code value}. */
    private long storedEventsMentioning(String value) throws Exception {
        try (java.sql.Connection c = database.connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM inbox_event WHERE payload LIKE ? OR subject LIKE ?)"
                        + " + (SELECT COUNT(*) FROM dead_letter WHERE reason LIKE ?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, "%" + value + "%");
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    @Order(5)
    void aRevocationByAnotherEbayUserPausesNothing() {
        // an application-level topic: it comes for any user who revokes this application
        long done = inboxCount("ebay.AUTHORIZATION_REVOCATION", "DONE");
        JsonPath push = signed("AUTHORIZATION_REVOCATION", Map.of("username", "another_seller", "userId", "u-another",
                "revokeReason", "REVOKED_BY_USER"), UUID.randomUUID().toString());
        push(push.getString("body"), push.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> inboxCount("ebay.AUTHORIZATION_REVOCATION", "DONE") > done);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'ebay-authorization' }.status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    @Order(6)
    void aRevokedAuthorizationPausesEbayAndReadinessSaysWhy() {
        JsonPath push = signed("AUTHORIZATION_REVOCATION", Map.of("username", "sandbox_seller", "userId", "u1"), UUID.randomUUID().toString());
        push(push.getString("body"), push.getString("signature")).then().statusCode(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'ebay-authorization' }.data.error", containsString("AUTHORIZATION_REVOCATION"));
    }
}

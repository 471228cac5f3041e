package io.marketbridge.ebay.account;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.pipeline.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connecting the seller with no manual step, as a browser does it: /admin/ebay/connect redirects to eBay's consent
 * page, eBay redirects back to the callback, and the service stores the refresh token encrypted, uses it,
 * subscribes to Platform and Commerce notifications (no duplicates on reconnect), refuses unknown, reused,
 * expired and declined consents, and lifts a revocation pause when the seller connects again.
 */
@QuarkusTest
@TestProfile(EbayConnectTest.UnconnectedSeller.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EbayConnectTest implements EbayContractChecked {

    static final String TOKEN_KEY = "bWFya2V0YnJpZGdlLXNhbmRib3gtZGV2LWtleS0zMmI="; // the sandbox profiles' dev key
    static final String PLATFORM_URL = "http://localhost:${quarkus.http.test-port}/webhooks/ebay/platform";
    static final String EVENTS_URL = "http://localhost:${quarkus.http.test-port}/webhooks/ebay/events";

    /** No refresh token configured: the seller gets connected through the admin API. Its own database. */
    public static class UnconnectedSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.h2.jdbc.url", "jdbc:h2:mem:marketbridge-connect;DB_CLOSE_DELAY=-1",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.notification.platform-url", PLATFORM_URL,
                    "marketbridge.ebay.notification.endpoint-url", EVENTS_URL,
                    "marketbridge.ebay.notification.verification-token", "sandbox_verification_token_0123456789-abcdef",
                    "marketbridge.ebay.notification.alert-email", "ops@example.com");
        }
    }

    @Inject
    Database db;

    // --- the browser's part ------------------------------------------------------------------------

    /** GET /admin/ebay/connect as the signed-in operator: eBay's consent page URL. */
    private static String startConnect() {
        Response response = given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).redirects().follow(false).get("/admin/ebay/connect");
        assertEquals(302, response.statusCode(), response.asString());
        return response.header("Location");
    }

    /** The seller on eBay's consent page: where eBay sends the browser back. */
    private static String consentOnEbay(String consentUrl) {
        Response response = given().urlEncodingEnabled(false).redirects().follow(false).get(consentUrl);
        assertEquals(302, response.statusCode(), response.asString());
        return response.header("Location");
    }

    /** The browser back at our callback, still carrying the operator's Basic credentials. */
    private static Response callback(String callbackUrl) {
        return given().urlEncodingEnabled(false).auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).redirects().follow(false).get(callbackUrl);
    }

    private static JsonPath connect() {
        Response response = callback(consentOnEbay(startConnect()));
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    // --- what the simulated eBay saw -------------------------------------------------------------------

    private static JsonPath authStats() {
        return given().get("/sandbox/ebay/_auth/stats").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath notificationStats() {
        return given().get("/sandbox/ebay/_notifications/stats").then().statusCode(200).extract().jsonPath();
    }

    private static String lastIssuedRefreshToken() {
        List<String> issued = authStats().getList("issuedRefreshTokens", String.class);
        return issued.get(issued.size() - 1);
    }

    private static int codeGrants() {
        Integer grants = authStats().getInt("grants.authorization_code");
        return grants == null ? 0 : grants;
    }

    private static int calls(String name) {
        Object count = notificationStats().getMap("calls").get(name);
        return count == null ? 0 : ((Number) count).intValue();
    }

    private static void auth(Map<String, Object> change) {
        given().contentType("application/json").body(change).post("/sandbox/ebay/_auth").then().statusCode(200);
    }

    // --- the database --------------------------------------------------------------------------------

    private List<String> sealedRefreshTokens() throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT refresh_token_sealed FROM ebay_connection");
                ResultSet rs = ps.executeQuery()) {
            List<String> sealed = new ArrayList<>();
            while (rs.next()) {
                sealed.add(rs.getString(1));
            }
            return sealed;
        }
    }

    /** Opens a sealed token independently of the service: AES-256-GCM, 12-byte nonce first, the row id as AAD. */
    private static String open(String sealed) throws Exception {
        assertTrue(sealed.startsWith("v1:"), sealed);
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(TOKEN_KEY), "AES"),
                new GCMParameterSpec(128, bytes, 0, 12));
        cipher.updateAAD("marketbridge:ebay_connection:seller".getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static Map<String, Map<String, Object>> subscriptionsByName(JsonPath status) {
        Map<String, Map<String, Object>> byName = new HashMap<>();
        List<Map<String, Object>> subscriptions = status.getList("ebayConnection.subscriptions");
        subscriptions.forEach(s -> byName.put((String) s.get("name"), s));
        return byName;
    }

    // --- the tests ------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void connectingStoresTheRefreshTokenEncryptedAndSubscribesToNotifications() throws Exception {
        assertEquals(false, admin("/status").getBoolean("ebayConnection.connected"));

        String consent = startConnect();
        Map<String, String> asked = query(consent);
        assertTrue(consent.startsWith("http://localhost:" + RestAssured.port + "/sandbox/ebay/oauth2/authorize?"), consent);
        assertEquals("Marketbridge-Sandbox-APP", asked.get("client_id"));
        assertEquals("code", asked.get("response_type"));
        assertEquals("Marketbridge-Sandbox-RuName", asked.get("redirect_uri"));
        assertEquals(EbaySellerConnect.DEFAULT_SCOPES, asked.get("scope"));
        assertTrue(asked.get("state").length() >= 40, "an unguessable state");

        Response answer = callback(consentOnEbay(consent));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(true, answer.jsonPath().getBoolean("connected"));
        assertEquals("sandbox_seller", answer.jsonPath().getString("ebayUserId"));
        assertFalse(answer.asString().contains("sandbox-refresh"), "no token in the answer");
        assertNull(answer.header("Authorization"));

        // the refresh token is in the database only encrypted, and opens with the key
        String issued = lastIssuedRefreshToken();
        List<String> sealed = sealedRefreshTokens();
        assertEquals(1, sealed.size());
        assertFalse(sealed.get(0).contains(issued));
        assertFalse(new String(Base64.getDecoder().decode(sealed.get(0).substring(3)), StandardCharsets.ISO_8859_1).contains(issued));
        assertEquals(issued, open(sealed.get(0)));

        // Platform Notifications: our webhook, every listing and sale event
        JsonPath ebay = notificationStats();
        String platformUrl = PLATFORM_URL.replace("${quarkus.http.test-port}", String.valueOf(RestAssured.port));
        String eventsUrl = EVENTS_URL.replace("${quarkus.http.test-port}", String.valueOf(RestAssured.port));
        assertEquals(platformUrl, ebay.getString("applicationPreferences.ApplicationURL"));
        assertEquals("Enable", ebay.getString("applicationPreferences.ApplicationEnable"));
        assertEquals("Platform", ebay.getString("applicationPreferences.DeviceType"));
        assertEquals(Map.of("ItemListed", "Enable", "ItemRevised", "Enable", "ItemClosed", "Enable", "FixedPriceTransaction", "Enable",
                "AuctionCheckoutComplete", "Enable", "ItemSold", "Enable"), ebay.getMap("userEvents"));
        // Commerce notifications: one destination (it passed eBay's challenge), a subscription per topic eBay offers
        assertEquals(List.of(eventsUrl), ebay.getList("destinations.deliveryConfig.endpoint"));
        assertEquals(1, calls("challenges"));
        String destinationId = ebay.getString("destinations[0].destinationId");
        assertEquals(Map.of("ORDER_CONFIRMATION", "sandbox_seller", "ITEM_MARKED_SHIPPED", "sandbox_seller", "AUTHORIZATION_REVOCATION", "application"),
                Map.of("ORDER_CONFIRMATION", ebay.getString("subscriptions.find { it.topicId == 'ORDER_CONFIRMATION' }.owner"),
                        "ITEM_MARKED_SHIPPED", ebay.getString("subscriptions.find { it.topicId == 'ITEM_MARKED_SHIPPED' }.owner"),
                        "AUTHORIZATION_REVOCATION", ebay.getString("subscriptions.find { it.topicId == 'AUTHORIZATION_REVOCATION' }.owner")));
        assertEquals(List.of("ENABLED", "ENABLED", "ENABLED"), ebay.getList("subscriptions.status"));
        assertEquals(List.of(destinationId, destinationId, destinationId), ebay.getList("subscriptions.destinationId"));

        // the admin status tells the same story
        JsonPath status = admin("/status");
        assertEquals(true, status.getBoolean("ebayConnection.connected"));
        assertEquals("connect", status.getString("ebayConnection.source"));
        assertEquals("sandbox_seller", status.getString("ebayConnection.ebayUserId"));
        assertEquals(ADMIN, status.getString("ebayConnection.connectedBy"));
        assertTrue(OffsetDateTime.parse(status.getString("ebayConnection.refreshTokenExpiresAt")).isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusDays(500)));
        Map<String, Map<String, Object>> subscriptions = subscriptionsByName(status);
        for (String active : List.of("platform-notifications", "commerce-destination", "topic:ORDER_CONFIRMATION", "topic:ITEM_MARKED_SHIPPED",
                "topic:AUTHORIZATION_REVOCATION")) {
            assertEquals("ACTIVE", subscriptions.get(active).get("state"), active + ": " + subscriptions.get(active));
        }
        assertEquals("MANUAL", subscriptions.get("topic:MARKETPLACE_ACCOUNT_DELETION").get("state"));
        assertTrue(String.valueOf(subscriptions.get("topic:MARKETPLACE_ACCOUNT_DELETION").get("detail")).contains("developer portal"));
    }

    @Test
    @Order(2)
    void theServiceThenRefreshesWithTheNewRefreshToken() {
        String issued = lastIssuedRefreshToken();
        auth(Map.of("expireIssuedTokens", true)); // the user token from the exchange stops working

        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'ebay' }.reachable", is(true))
                .body("find { it.peer == 'ebay' }.error", nullValue());

        Object refreshes = authStats().getMap("refreshGrantsByToken").get(issued);
        assertTrue(refreshes != null && ((Number) refreshes).intValue() >= 1, "eBay saw a refresh grant with the connected token");
        assertEquals(null, authStats().getMap("refreshGrantsByToken").get("sandbox-refresh-token"), "the configured one is not used");
    }

    @Test
    @Order(3)
    void connectingAgainCreatesNoDuplicateDestinationOrSubscriptions() throws Exception {
        int destinationsCreated = calls("createDestination");
        int subscriptionsCreated = calls("createSubscription");
        int preferencesSet = calls("trading.SetNotificationPreferences");
        String before = open(sealedRefreshTokens().get(0));

        connect();

        JsonPath ebay = notificationStats();
        assertEquals(1, ebay.getList("destinations").size());
        assertEquals(3, ebay.getList("subscriptions").size());
        assertEquals(destinationsCreated, calls("createDestination"));
        assertEquals(subscriptionsCreated, calls("createSubscription"));
        assertEquals(preferencesSet + 1, calls("trading.SetNotificationPreferences"), "preferences are set again (idempotent at eBay)");
        List<String> sealed = sealedRefreshTokens();
        assertEquals(1, sealed.size(), "one seller connection, replaced");
        assertNotEquals(before, open(sealed.get(0)));
        assertEquals(lastIssuedRefreshToken(), open(sealed.get(0)));

        // a subscription disabled at eBay is enabled again by POST /admin/ebay/subscriptions, still without duplicates
        given().contentType("application/json").body(Map.of("topicId", "ORDER_CONFIRMATION"))
                .post("/sandbox/ebay/_notifications/disable").then().statusCode(200);
        int updates = calls("updateSubscription");
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/ebay/subscriptions").then().statusCode(200)
                .body("find { it.name == 'topic:ORDER_CONFIRMATION' }.state", is("ACTIVE"));
        assertEquals(updates + 1, calls("updateSubscription"));
        assertEquals(subscriptionsCreated, calls("createSubscription"));
        assertEquals(List.of("ENABLED", "ENABLED", "ENABLED"), notificationStats().getList("subscriptions.status"));
    }

    @Test
    @Order(4)
    void anUnknownReusedOrExpiredStateGets400AndStoresNothing() throws Exception {
        String used = consentOnEbay(startConnect());
        assertEquals(200, callback(used).statusCode());
        int grants = codeGrants();
        List<String> stored = sealedRefreshTokens();

        callback(used).then().statusCode(400).body("error", containsString("state already used"));

        String forged = consentOnEbay(startConnect().replaceAll("state=[^&]+", "state=forged-state"));
        callback(forged).then().statusCode(400).body("error", containsString("unknown state"));

        String late = consentOnEbay(startConnect());
        try (Connection c = db.connection()) { // eleven minutes later
            Database.execute(c, "UPDATE ebay_oauth_state SET expires_at = ? WHERE state = ?",
                    OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), query(late).get("state"));
        }
        callback(late).then().statusCode(400).body("error", containsString("state expired"));

        callback("/admin/ebay/callback?code=abc").then().statusCode(400).body("error", containsString("state is missing"));

        assertEquals(grants, codeGrants(), "no code was exchanged");
        assertEquals(stored, sealedRefreshTokens(), "nothing stored");
    }

    @Test
    @Order(5)
    void aDeclinedConsentGetsAClearAnswerAndStoresNothing() throws Exception {
        int grants = codeGrants();
        List<String> stored = sealedRefreshTokens();

        String declined = consentOnEbay(startConnect() + "&decline=true");
        assertEquals("access_denied", query(declined).get("error"));
        callback(declined).then().statusCode(403).body("error", containsString("declined"))
                .body("error", containsString("/admin/ebay/connect"));
        callback(declined).then().statusCode(403); // said again, never a connection

        assertEquals(grants, codeGrants());
        assertEquals(stored, sealedRefreshTokens());
    }

    @Test
    @Order(6)
    void aRevokedSellerIsUnpausedByConnectingAgain() {
        auth(Map.of("revokeRefreshToken", true, "expireIssuedTokens", true));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'ebay' }.error", containsString("invalid_grant"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'ebay-authorization' }.status", is("DOWN"))
                .body("checks.find { it.name == 'ebay-authorization' }.data.error", containsString("/admin/ebay/connect"));
        assertTrue(admin("/status").getString("ebayConnection.paused").contains("invalid_grant"));

        connect();

        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'ebay-authorization' }.status", is("UP"));
        assertTrue(given().get("/q/metrics").then().extract().asString().contains("marketbridge_ebay_authorized 1.0"));
        assertNull(admin("/status").get("ebayConnection.paused"));
        auth(Map.of("expireIssuedTokens", true));
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'ebay' }.error", nullValue());
        auth(Map.of("revokeRefreshToken", false));
    }
}

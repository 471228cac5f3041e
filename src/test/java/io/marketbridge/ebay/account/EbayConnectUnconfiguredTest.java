package io.marketbridge.ebay.account;

import io.marketbridge.ebay.contract.EbayContractChecked;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.ADMIN;
import static io.marketbridge.testsupport.Sandbox.ADMIN_PASSWORD;
import static io.marketbridge.testsupport.Sandbox.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without an encryption key the service starts, and connecting a seller says which setting is missing; without a
 * connected seller there is nothing to subscribe.
 */
@QuarkusTest
@TestProfile(EbayConnectUnconfiguredTest.NoTokenKey.class)
class EbayConnectUnconfiguredTest implements EbayContractChecked {

    /** The sandbox's dev key removed. */
    public static class NoTokenKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.oauth.token-key", "",
                    "quarkus.datasource.h2.jdbc.url", "jdbc:h2:mem:marketbridge-connect-unconfigured;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void connectingNamesTheMissingKeyAndItsEnvironmentVariable() {
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).redirects().follow(false).get("/admin/ebay/connect").then()
                .statusCode(503)
                .body("error", containsString("marketbridge.ebay.oauth.token-key"))
                .body("error", containsString("MARKETBRIDGE_EBAY_OAUTH_TOKEN_KEY"));
        assertEquals(0, given().get("/sandbox/ebay/_auth/stats").then().extract().jsonPath().getInt("consents"));
    }

    @Test
    void theConnectFlowNeedsTheOperatorAndASeller() {
        given().redirects().follow(false).get("/admin/ebay/connect").then().statusCode(401);
        given().redirects().follow(false).get("/admin/ebay/callback?code=x&state=y").then().statusCode(401);
        given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin/ebay/subscriptions").then()
                .statusCode(409).body("error", containsString("/admin/ebay/connect"));
        assertEquals(false, admin("/status").getBoolean("ebayConnection.connected"));
    }
}

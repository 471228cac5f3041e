package io.marketbridge.ebay.account;

import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.contract.EbayContractChecked;
import io.marketbridge.pipeline.PermanentFailure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seller's eBay token takes care of itself: refreshed ahead of expiry, refreshed once after
 * a 401, and a revoked refresh token pauses the eBay flows with a clear reason in readiness.
 */
@QuarkusTest
@TestProfile(EbayOAuthTest.ConnectedSeller.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EbayOAuthTest implements EbayContractChecked {

    /** A seller connected with the sandbox's refresh token. */
    public static class ConnectedSeller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.oauth.refresh-buffer", "1s");
        }
    }

    private static final String ORDERS = "/sell/fulfillment/v1/order?limit=1";

    @Inject
    EbayApi ebay;

    @AfterEach
    void normalTokenLifetime() {
        auth(Map.of("ttlSeconds", 7200));
    }

    private static JsonPath auth(Map<String, Object> change) {
        return given().contentType("application/json").body(change).post("/sandbox/ebay/_auth").then().statusCode(200)
                .extract().jsonPath();
    }

    private static int refreshGrants() {
        return given().get("/sandbox/ebay/_auth/stats").then().statusCode(200).extract().jsonPath()
                .getInt("grants.refresh_token");
    }

    @Test
    @Order(1)
    void aTokenIsRefreshedAheadOfExpiryWithoutAFailedCall() throws InterruptedException {
        auth(Map.of("ttlSeconds", 3, "expireIssuedTokens", true));
        ebay.get(ORDERS); // a first token, valid 3 s, refreshed 1 s before it expires
        int before = refreshGrants();
        long end = System.currentTimeMillis() + 4500;
        int calls = 0;
        while (System.currentTimeMillis() < end) {
            ebay.get(ORDERS); // never a 401: the token is renewed before eBay would refuse it
            calls++;
            Thread.sleep(50);
        }
        assertTrue(calls > 40);
        int refreshes = refreshGrants() - before;
        assertTrue(refreshes >= 2 && refreshes <= 3, "one refresh per token lifetime, got " + refreshes);
    }

    @Test
    @Order(2)
    void aTokenExpiringMidRunCostsOneRefreshAndNoFailedCall() {
        ebay.get(ORDERS);
        int before = refreshGrants();
        auth(Map.of("expireIssuedTokens", true)); // eBay drops the token we still think is valid

        ebay.get(ORDERS); // 401, one refresh, one retry: the caller sees success

        assertEquals(before + 1, refreshGrants());
        ebay.get(ORDERS);
        assertEquals(before + 1, refreshGrants(), "the new token is reused");
    }

    @Test
    @Order(3)
    void aRevokedRefreshTokenPausesEbayAndReadinessSaysWhatToDo() {
        auth(Map.of("revokeRefreshToken", true, "expireIssuedTokens", true));

        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> ebay.get(ORDERS));
        assertTrue(failure.getMessage().contains("invalid_grant"), failure.getMessage());

        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'ebay-authorization' }.status", org.hamcrest.Matchers.is("DOWN"))
                .body("checks.find { it.name == 'ebay-authorization' }.data.error", containsString("marketbridge.ebay.refresh-token"));
        assertTrue(given().get("/q/metrics").then().extract().asString().contains("marketbridge_ebay_authorized 0.0"));

        // paused: no further attempts against eBay until an operator acts
        auth(Map.of("revokeRefreshToken", false));
        assertThrows(PermanentFailure.class, () -> ebay.get(ORDERS));
    }
}

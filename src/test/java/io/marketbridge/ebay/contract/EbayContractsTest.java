package io.marketbridge.ebay.contract;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check itself: it passes what eBay's contract allows and refuses what it does not. */
class EbayContractsTest {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    private static List<String> check(String method, String pathAndQuery, String requestBody, int status, String responseBody) {
        return EbayContracts.violations(new EbayContracts.Exchange(method, URI.create("http://localhost/sandbox/ebay" + pathAndQuery),
                requestBody == null ? Map.of() : JSON, requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8),
                status, responseBody == null ? Map.of() : JSON, responseBody == null ? null : responseBody.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aConformingExchangePasses() {
        assertEquals(List.of(), check("GET", "/sell/fulfillment/v1/order?limit=200&offset=0", null, 200,
                "{\"href\":\"x\",\"limit\":200,\"offset\":0,\"total\":0,\"orders\":[]}"));
        assertEquals(List.of(), check("GET", "/developer/analytics/v1_beta/rate_limit/?api_name=sell", null, 200, "{\"rateLimits\":[]}"));
    }

    @Test
    void anInvalidRequestIsRefused() {
        List<String> wrongBody = check("POST", "/sell/fulfillment/v1/order/1-2/shipping_fulfillment", "{\"lineItems\":\"all of them\"}", 201, null);
        assertTrue(wrongBody.stream().anyMatch(v -> v.contains("validation.request.body.schema")), wrongBody::toString);
        List<String> noSuchPath = check("GET", "/sell/fulfillment/v1/orders", null, 200, "{}");
        assertTrue(noSuchPath.stream().anyMatch(v -> v.contains("validation.request.path.missing")), noSuchPath::toString);
    }

    @Test
    void anInvalidAnswerIsRefused() {
        List<String> wrongBody = check("GET", "/sell/fulfillment/v1/order?limit=10", null, 200, "{\"total\":\"many\",\"orders\":{}}");
        assertTrue(wrongBody.stream().anyMatch(v -> v.contains("validation.response.body.schema")), wrongBody::toString);
        List<String> undocumentedStatus = check("GET", "/sell/fulfillment/v1/order?limit=10", null, 418, null);
        assertTrue(undocumentedStatus.stream().anyMatch(v -> v.contains("validation.response.status.unknown")), undocumentedStatus::toString);
    }

    @Test
    void callsOutsideTheContractsAreNotChecked() {
        assertEquals(List.of(), check("POST", "/identity/v1/oauth2/token", "{}", 200, "{}"));
        // eBay documents 429 and 401 for every call, not per operation
        assertEquals(List.of(), check("GET", "/sell/fulfillment/v1/order?limit=10", null, 429, "{\"errors\":[]}"));
    }
}

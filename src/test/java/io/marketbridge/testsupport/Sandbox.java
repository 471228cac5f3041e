package io.marketbridge.testsupport;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/** Drives the running service and its simulated peers over HTTP, as an operator or a peer would. */
public final class Sandbox {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin";

    private Sandbox() {
    }

    public static String newSku() {
        return "MB-" + UUID.randomUUID().toString().substring(0, 12).toUpperCase();
    }

    // --- the simulated eBay seller -----------------------------------------------------------

    /** Lists an item on the simulated eBay; returns itemId and the signed notification, undelivered. */
    public static JsonPath list(Map<String, Object> listing) {
        return given().contentType(ContentType.JSON).body(listing)
                .post("/sandbox/ebay/listings?deliver=false").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath revise(String itemId, Map<String, Object> changes) {
        return given().contentType(ContentType.JSON).body(changes)
                .post("/sandbox/ebay/listings/" + itemId + "/revise?deliver=false").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath end(String itemId) {
        return given().post("/sandbox/ebay/listings/" + itemId + "/end?deliver=false").then().statusCode(200).extract().jsonPath();
    }

    /** Any signed notification, e.g. {@code {"eventName":"FixedPriceTransaction"}} or an old timestamp. */
    public static String notification(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request)
                .post("/sandbox/ebay/notifications").then().statusCode(200).extract().asString();
    }

    /** Posts to the webhook as eBay does. */
    public static Response deliver(String soap) {
        return given().contentType("text/xml; charset=utf-8")
                .header("SOAPAction", "\"https://developer.ebay.com/notification/ItemListed\"")
                .body(soap).post("/webhooks/ebay/platform");
    }

    /** Arms a fault on the simulated eBay, e.g. {@code {"path":"/sell/fulfillment","status":429,"skip":1,"times":1}}. */
    public static void ebayFault(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post("/sandbox/ebay/_faults").then().statusCode(200);
    }

    public static void clearEbayFaults() {
        given().delete("/sandbox/ebay/_faults").then().statusCode(200);
    }

    /** A seller access token from the simulated eBay, for calling its REST APIs directly. */
    public static String ebayUserToken() {
        return given().auth().preemptive().basic("Marketbridge-Sandbox-APP", "SBX-marketbridge-cert")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", "sandbox-refresh-token")
                .post("/sandbox/ebay/identity/v1/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /** Seeds the simulated eBay Inventory API, e.g. {@code {"count":450,"skuPrefix":"MB-X","quantity":3}}; returns the SKUs. */
    public static List<String> seedEbayInventory(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request).post("/sandbox/ebay/_inventory")
                .then().statusCode(200).extract().jsonPath().getList("skus", String.class);
    }

    // --- the simulated Odoo --------------------------------------------------------------------

    /** {@code search_read} on the simulated Odoo, archived records included. */
    public static List<Map<String, Object>> odoo(String model, List<?> domain, List<String> fields) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model,
                        "search_read", List.of(domain), Map.of("fields", fields, "context", Map.of("active_test", false)))));
        return given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc")
                .then().statusCode(200).extract().jsonPath().getList("result");
    }

    /** Creates a record in the simulated Odoo, as a person would in Odoo's UI. */
    public static long odooCreate(String model, Map<String, Object> values) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model,
                        "create", List.of(values), Map.of())));
        return given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc")
                .then().statusCode(200).extract().jsonPath().getLong("result");
    }

    /** Writes to records in the simulated Odoo, as a person would in Odoo's UI. */
    public static void odooWrite(String model, List<Long> ids, Map<String, Object> values) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model,
                        "write", List.of(ids, values), Map.of())));
        given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc")
                .then().statusCode(200).body("result", is(true));
    }

    /** Calls a method on records of the simulated Odoo ({@code action_confirm}, {@code button_validate}), as a click in Odoo would. */
    public static void odooCall(String model, String method, List<Long> ids) {
        odooCall(model, method, ids, Map.of());
    }

    /** The same with a context, e.g. {@code disable_cancel_warning} for {@code action_cancel} of a confirmed order. */
    public static void odooCall(String model, String method, List<Long> ids, Map<String, Object> context) {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of(
                "service", "object", "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model,
                        method, List.of(ids), Map.of("context", context))));
        given().contentType(ContentType.JSON).body(call).post("/sandbox/odoo/jsonrpc").then().statusCode(200)
                .body("error", org.hamcrest.Matchers.nullValue());
    }

    /** A random EAN-13 with a correct check digit. */
    public static String newEan() {
        String digits = String.valueOf(400_000_000_000L + (long) (Math.random() * 99_999_999_999L));
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return digits + (10 - sum % 10) % 10;
    }

    public static List<Map<String, Object>> productsBySku(String sku) {
        return odoo("product.product", List.of(List.of("default_code", "=", sku)),
                List.of("name", "list_price", "lst_price", "categ_id", "qty_available", "product_tmpl_id", "description_sale", "active", "type",
                        "barcode"));
    }

    public static long odooWrites() {
        return given().get("/sandbox/odoo/_stats").then().statusCode(200).extract().jsonPath().getLong("writes");
    }

    public static void odooFault(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post("/sandbox/odoo/_faults").then().statusCode(200);
    }

    public static void clearOdooFaults() {
        given().delete("/sandbox/odoo/_faults").then().statusCode(200);
    }

    // --- the admin API -------------------------------------------------------------------------

    public static JsonPath admin(String path) {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/admin" + path)
                .then().statusCode(200).extract().jsonPath();
    }

    public static Response adminPost(String path) {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).post("/admin" + path);
    }

    /** How many inbox events of a type are in a status, from the admin status report. */
    public static long inboxCount(String type, String status) {
        return inboxCounts(type, status)[0];
    }

    /** Counts for several statuses from one status report, so they are consistent with each other. */
    public static long[] inboxCounts(String type, String... statuses) {
        List<Map<String, Object>> events = admin("/status").getList("events");
        long[] counts = new long[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            String status = statuses[i];
            counts[i] = events.stream().filter(e -> type.equals(e.get("type")))
                    .map(e -> ((Map<?, ?>) e.get("byStatus")).get(status))
                    .mapToLong(v -> v == null ? 0 : ((Number) v).longValue()).sum();
        }
        return counts;
    }

    /**
     * Waits until the pipeline is idle: no inbox event is due or running (events scheduled for a later
     * retry aside), and no flow (the admin API's own aside) has an exchange in flight, seen on two
     * reports in a row. Use it before asserting "nothing more happens".
     */
    public static void awaitIdle() {
        boolean[] idleBefore = {false};
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(60)).until(() -> {
            boolean idle = isIdle(admin("/status"));
            boolean twice = idle && idleBefore[0];
            idleBefore[0] = idle;
            return twice;
        });
    }

    private static boolean isIdle(JsonPath status) {
        boolean inboxEmpty = status.getLong("inbox.due") == 0 && status.getLong("inbox.processing") == 0;
        List<Map<String, Object>> flows = status.getList("flows");
        boolean nothingInFlight = flows.stream().filter(f -> !String.valueOf(f.get("id")).startsWith("admin-"))
                .allMatch(f -> ((Number) f.get("inflight")).longValue() == 0);
        return inboxEmpty && nothingInFlight;
    }
}

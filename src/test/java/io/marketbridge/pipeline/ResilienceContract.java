package io.marketbridge.pipeline;

import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelState;
import io.marketbridge.testsupport.Sandbox;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.marketbridge.testsupport.Sandbox.admin;
import static io.marketbridge.testsupport.Sandbox.adminPost;
import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.inboxCounts;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.odooFault;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing accepted is lost: Odoo outages are retried with backoff until Odoo returns, permanent
 * errors become dead letters with their reason, and dead letters replay once the cause is fixed.
 */
public abstract class ResilienceContract {

    @Inject
    ChannelState channelState;

    @AfterEach
    void clearFaults() {
        Sandbox.clearOdooFaults();
    }

    private static Map<String, Object> listing(String sku) {
        return Map.of("sku", sku, "title", "Tripod " + sku, "price", "35.00", "quantity", 3,
                "categoryName", "Cameras & Photo:Tripods & Supports");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deadLetterFor(String itemId) {
        List<Map<String, Object>> letters = admin("/dead-letters").getList("$");
        return letters.stream().filter(l -> String.valueOf(l.get("eventKey")).contains(":" + itemId + ":")).findFirst().orElse(null);
    }

    @Test
    void whileOdooIsDownNotificationsAreAcknowledgedAndImportedWhenItReturns() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        odooFault(Map.of("down", true));

        deliver(listed.getString("notification")).then().statusCode(200);

        // a few attempts fail against the outage
        await().atMost(Duration.ofSeconds(15)).until(() -> admin("/status").getList("events", Map.class).stream()
                .anyMatch(e -> "ebay.ItemListed".equals(e.get("type")) && String.valueOf(e.get("lastError")).contains("HTTP 503")));
        Sandbox.clearOdooFaults();

        await().atMost(Duration.ofSeconds(15)).until(() -> productsBySku(sku).size() == 1);
        assertEquals(3.0, ((Number) productsBySku(sku).get(0).get("qty_available")).doubleValue(), 0.001);
    }

    @Test
    void aSlowOdooStillGetsEverythingOnce() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        odooFault(Map.of("delayMillis", 300));
        deliver(listed.getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> productsBySku(sku).size() == 1);
    }

    @Test
    void aPermanentOdooErrorIsDeadLetteredAndReplayedAfterTheFix() {
        String sku = newSku();
        JsonPath listed = list(listing(sku));
        String itemId = listed.getString("itemId");
        odooFault(Map.of("model", "product.template", "method", "create", "match", sku,
                "error", "odoo.exceptions.ValidationError", "message", "The category is archived"));

        deliver(listed.getString("notification")).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterFor(itemId) != null);
        Map<String, Object> letter = deadLetterFor(itemId);
        assertEquals("PERMANENT", letter.get("failure"));
        assertTrue(String.valueOf(letter.get("reason")).contains("ValidationError: The category is archived"), String.valueOf(letter));
        assertEquals("ebay.ItemListed", letter.get("eventType"));
        assertEquals("odoo-product-from-ebay-listing", letter.get("flow"));
        assertTrue(productsBySku(sku).isEmpty());

        Sandbox.clearOdooFaults(); // the cause is fixed
        adminPost("/dead-letters/" + letter.get("id") + "/replay").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku).size() == 1);
        adminPost("/dead-letters/" + letter.get("id") + "/replay").then().statusCode(409).body("error", containsString("already replayed"));
    }

    @Test
    void replayAllRequeuesEveryOpenDeadLetter() {
        String first = newSku();
        String second = newSku();
        JsonPath one = list(listing(first));
        JsonPath two = list(listing(second));
        odooFault(Map.of("model", "product.template", "method", "create", "error", "odoo.exceptions.AccessError",
                "message", "You are not allowed to create products"));
        deliver(one.getString("notification")).then().statusCode(200);
        deliver(two.getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterFor(one.getString("itemId")) != null
                && deadLetterFor(two.getString("itemId")) != null);

        Sandbox.clearOdooFaults();
        List<Object> replayed = adminPost("/dead-letters/replay").then().statusCode(200).extract().jsonPath().getList("replayed");
        assertTrue(replayed.size() >= 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(first).size() == 1 && productsBySku(second).size() == 1);
        // other tests' dead letters (refused on purpose) may be open too: these two are not any more
        assertTrue(deadLetterFor(one.getString("itemId")) == null && deadLetterFor(two.getString("itemId")) == null);
    }

    @Test
    void aBurstIsClaimedOneBatchAtATime() {
        odooFault(Map.of("delayMillis", 20)); // a slowish Odoo, so a backlog builds up
        for (int i = 0; i < 300; i++) {
            deliver(list(listing(newSku())).getString("notification")).then().statusCode(200);
        }
        long mostInFlight = 0;
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            long[] snapshot = inboxCounts("ebay.ItemListed", "PROCESSING", "PENDING"); // one consistent read
            mostInFlight = Math.max(mostInFlight, snapshot[0]);
            if (snapshot[0] == 0 && snapshot[1] == 0) {
                break;
            }
        }
        assertEquals(0, inboxCount("ebay.ItemListed", "PENDING") + inboxCount("ebay.ItemListed", "PROCESSING"), "drained");
        assertTrue(mostInFlight <= 50, "at most one claim batch (50 in tests) in flight, saw " + mostInFlight);
    }

    @Test
    void concurrentDeliveriesAndTheirRepeatsAreEachStoredOnce() throws Exception {
        // deliveries arriving together share inbox transactions; a repeat in the same or a later one is still a duplicate
        List<String> skus = IntStream.range(0, 40).mapToObj(i -> newSku()).toList();
        List<String> notifications = skus.stream().map(sku -> list(listing(sku)).getString("notification")).toList();
        long[] before = inboxCounts("ebay.ItemListed", "DONE", "PENDING", "PROCESSING", "DEAD");
        List<String> deliveries = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            deliveries.addAll(notifications);
        }
        Collections.shuffle(deliveries);
        ExecutorService senders = Executors.newFixedThreadPool(24);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String soap : deliveries) {
                answers.add(senders.submit(() -> deliver(soap).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            senders.shutdownNow();
        }
        Sandbox.awaitIdle();
        long[] after = inboxCounts("ebay.ItemListed", "DONE", "PENDING", "PROCESSING", "DEAD");
        assertEquals(skus.size(), java.util.Arrays.stream(after).sum() - java.util.Arrays.stream(before).sum(), "one inbox event per listing");
        for (String sku : skus) {
            assertEquals(1, productsBySku(sku).size(), sku + " imported once");
        }
    }

    @Test
    void syncsRecordingTheSameSkusAtOnceAllSucceed() throws Exception {
        // a changes push and a full sync can finish with the same SKUs at the same moment
        String channel = "race-" + newSku().substring(3, 11); // channel names are short
        List<String> skus = IntStream.range(0, 40).mapToObj(i -> channel + "-" + i).toList();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                BigDecimal price = BigDecimal.valueOf(10 + writer);
                List<CatalogItem> items = skus.stream().map(sku -> new CatalogItem(sku, 1, 1, "Tripod", "Tripod", null, price, "EUR", 3,
                        Map.of(), null)).toList();
                List<CatalogItem> reversed = new ArrayList<>(items);
                Collections.reverse(reversed); // the other order too: no deadlock either way
                writes.add(writers.submit(() -> {
                    for (int round = 0; round < 25; round++) {
                        channelState.recordAccepted(channel, round % 2 == 0 ? items : reversed);
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        assertEquals(skus.size(), channelState.count(channel));
        assertEquals(skus.size(), channelState.get(channel, skus).size());
    }

    @Test
    void replayingAnUnknownDeadLetterIsAClearError() {
        adminPost("/dead-letters/99999999/replay").then().statusCode(404).body("error", containsString("no dead letter 99999999"));
        adminPost("/dead-letters/abc/replay").then().statusCode(400).body("error", containsString("must be a number"));
    }

    @Test
    void theAdminApiNeedsCredentials() {
        given().get("/admin/status").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").get("/admin/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic(Sandbox.ADMIN, Sandbox.ADMIN_PASSWORD).get("/admin/connections").then().statusCode(200)
                .body("find { it.peer == 'odoo' }.reachable", org.hamcrest.Matchers.is(true))
                .body("find { it.peer == 'odoo' }.version", containsString("17.0"));
    }
}

package io.marketbridge.admin;

import io.marketbridge.testsupport.Sandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.inboxCount;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.notification;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The admin API's JSON as operators' scripts read it: field names as declared, dates as ISO-8601 text, errors as
 * {@code {"status":..,"error":".."}} with their status code, whatever turns the answer into JSON.
 */
@QuarkusTest
class AdminJsonTest {

    private static final String ISO_DATE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})";

    @Test
    void deadLettersAreObjectsWithIsoDates() {
        long before = inboxCount("ebay.ItemSuspended", "DEAD");
        deliver(notification(Map.of("eventName", "ItemSuspended", "sku", newSku()))).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxCount("ebay.ItemSuspended", "DEAD") == before + 1);

        Response letters = admin().get("/admin/dead-letters?limit=1");
        System.out.println("AdminJsonTest dead letters: " + letters.asString());
        letters.then().statusCode(200).contentType(startsWith("application/json"))
                .body("size()", equalTo(1))
                .body("[0].keySet()", org.hamcrest.Matchers.containsInAnyOrder("id", "inboxId", "eventKey", "eventType", "flow", "failure",
                        "reason", "createdAt", "replayedAt", "discardedAt"))
                .body("[0].createdAt", matchesPattern(ISO_DATE))
                .body("[0].replayedAt", equalTo(null));
        long id = letters.jsonPath().getLong("[0].id");

        Response replayed = admin().post("/admin/dead-letters/" + id + "/replay");
        System.out.println("AdminJsonTest replay: " + replayed.asString());
        replayed.then().statusCode(200).contentType(startsWith("application/json"));
        admin().post("/admin/dead-letters/" + id + "/replay").then().statusCode(409).contentType(startsWith("application/json"))
                .body("status", equalTo(409)).body("error", containsString("already replayed"));

        // a POST's own Content-Type (curl -d sends a form's, clients text/plain or JSON) does not change the answer's
        for (String contentType : new String[] {"application/x-www-form-urlencoded", "text/plain", "application/json"}) {
            admin().contentType(contentType).body(contentType.endsWith("json") ? "{}" : "").post("/admin/dead-letters/replay")
                    .then().statusCode(200).contentType(startsWith("application/json")).body("replayed", org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void aDiscardedDeadLetterLeavesTheOpenListAndIsNeitherReplayedNorDiscardedAgain() {
        long before = inboxCount("ebay.ItemSuspended", "DEAD");
        deliver(notification(Map.of("eventName", "ItemSuspended", "sku", newSku()))).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxCount("ebay.ItemSuspended", "DEAD") == before + 1);
        long id = admin().get("/admin/dead-letters?limit=1").jsonPath().getLong("[0].id");
        long open = admin().get("/admin/status").jsonPath().getLong("deadLetters.open");

        admin().post("/admin/dead-letters/" + id + "/discard").then().statusCode(200).body("discarded[0]", equalTo((int) id));
        admin().get("/admin/status").then().body("deadLetters.open", equalTo((int) open - 1));
        admin().get("/admin/dead-letters").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem((int) id)));
        admin().get("/admin/dead-letters?open=false").then().body("find { it.id == " + id + " }.discardedAt", matchesPattern(ISO_DATE));
        admin().post("/admin/dead-letters/" + id + "/replay").then().statusCode(409).body("error", containsString("discarded"));
        admin().post("/admin/dead-letters/" + id + "/discard").then().statusCode(409).body("error", containsString("discarded"));
        admin().post("/admin/dead-letters/999999999/discard").then().statusCode(404);
        admin().post("/admin/dead-letters/x/discard").then().statusCode(400);
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, inboxCount("ebay.ItemSuspended", "DEAD"), "its event stays dead");
    }

    @Test
    void flowsSayWhenTheirTimerOrScheduleFiresNext() {
        JsonPath status = admin().get("/admin/status").jsonPath();
        // the nightly reconciliation: Quartz's next fire time, at the cron's hour, within a day
        java.time.Instant reconciliation = java.time.Instant.parse(status.getString("flows.find { it.id == 'channel-reconciliation' }.nextRun"));
        org.junit.jupiter.api.Assertions.assertTrue(reconciliation.isAfter(java.time.Instant.now())
                && reconciliation.isBefore(java.time.Instant.now().plus(Duration.ofDays(1))), reconciliation.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, reconciliation.atZone(java.time.ZoneId.systemDefault()).getMinute());
        // the dispatcher's timer (every 100 ms in tests, fixed delay): its period after its last run
        await().atMost(Duration.ofSeconds(5)).until(() -> admin().get("/admin/status").jsonPath()
                .getString("flows.find { it.id == 'inbox-dispatch-timer' }.lastCompleted") != null);
        JsonPath later = admin().get("/admin/status").jsonPath();
        java.time.Instant last = java.time.Instant.parse(later.getString("flows.find { it.id == 'inbox-dispatch-timer' }.lastCompleted"));
        java.time.Instant next = java.time.Instant.parse(later.getString("flows.find { it.id == 'inbox-dispatch-timer' }.nextRun"));
        org.junit.jupiter.api.Assertions.assertEquals(Duration.ofMillis(100), Duration.between(last, next));
        // a route started by a call, not a timer, has none
        org.junit.jupiter.api.Assertions.assertNull(later.get("flows.find { it.id == 'admin-replay' }.nextRun"));
    }

    @Test
    void statusIsOneObject() {
        Response status = admin().get("/admin/status");
        System.out.println("AdminJsonTest status: " + status.asString());
        status.then().statusCode(200).contentType(startsWith("application/json"));
        assertFalse(status.jsonPath().getMap("$").isEmpty());
    }

    @Test
    void errorsKeepTheirStatusAndBody() {
        Response none = admin().get("/admin/sync/nowhere");
        System.out.println("AdminJsonTest 404: " + none.asString());
        none.then().statusCode(404).contentType(startsWith("application/json")).body("status", equalTo(404));
        admin().post("/admin/dead-letters/abc/replay").then().statusCode(400).contentType(startsWith("application/json"))
                .body("error", containsString("must be a number"));
        Response sync = admin().post("/admin/sync/cartona?dryRun=true");
        System.out.println("AdminJsonTest 202: " + sync.asString());
        sync.then().statusCode(202).contentType(startsWith("application/json"));
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic(Sandbox.ADMIN, Sandbox.ADMIN_PASSWORD);
    }
}

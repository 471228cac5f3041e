package io.marketbridge.pipeline;

import io.marketbridge.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static io.marketbridge.testsupport.Sandbox.deliver;
import static io.marketbridge.testsupport.Sandbox.list;
import static io.marketbridge.testsupport.Sandbox.newSku;
import static io.marketbridge.testsupport.Sandbox.productsBySku;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dispatch on commit, with the dispatcher's timer an hour away: what the inbox commits is processed at
 * once, whether this process committed it or (on PostgreSQL, by NOTIFY) another replica did.
 */
@QuarkusTest
@TestProfile(DispatchOnCommitTest.TimerAnHourAway.class)
class DispatchOnCommitTest {

    public static class TimerAnHourAway extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketbridge.pipeline.dispatch-period", "1h");
        }
    }

    @Inject
    Database db;

    @Test
    void aCommittedNotificationIsProcessedWithoutWaitingForTheTimer() {
        String sku = newSku();
        deliver(list(Map.of("sku", sku, "title", "Lens cap " + sku, "price", "4.00", "quantity", 2,
                "categoryName", "Cameras & Photo:Lens Caps")).getString("notification")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> productsBySku(sku).size() == 1);
    }

    @Test
    void anotherReplicasCommitWakesThisDispatcher() throws Exception {
        // another replica stores an event and notifies, as its inbox does; no flow handles the type, so the
        // dispatcher's router dead-letters it: the sign that it was dispatched
        String key = "replica-test:" + UUID.randomUUID();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Database.execute(c, "INSERT INTO inbox_event (source, event_key, event_type, payload, status, next_attempt_at, received_at)"
                    + " VALUES ('test', ?, 'test.FromAnotherReplica', '{}', 'PENDING', ?, ?)", key, now, now);
            Database.execute(c, "NOTIFY marketbridge_inbox, 'another-replica'");
            c.commit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(status(key)));
        assertEquals("no flow for type test.FromAnotherReplica", lastError(key));
    }

    private String status(String key) throws Exception {
        return column("status", key);
    }

    private String lastError(String key) throws Exception {
        return column("last_error", key);
    }

    private String column(String column, String key) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM inbox_event WHERE event_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}

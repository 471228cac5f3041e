package io.marketbridge.pipeline;

import io.marketbridge.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
 * once, whether this process committed it or (on PostgreSQL, by NOTIFY) another replica did; and this
 * process's commits notify the other replicas.
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

    @Inject
    DispatchSignal signal;

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

    @Test
    void thisReplicasCommitNotifiesTheOthers() throws Exception {
        // listens as another replica would, on a connection of its own
        try (Connection other = db.connection(); Statement listen = other.createStatement()) {
            listen.execute("LISTEN " + DispatchSignal.CHANNEL);
            PGConnection listener = other.unwrap(PGConnection.class);
            heardUntilMarker(listener); // what earlier tests committed

            String sku = newSku();
            String notification = list(Map.of("sku", sku, "title", "Hood " + sku, "price", "9.00", "quantity", 1,
                    "categoryName", "Cameras & Photo:Lens Hoods")).getString("notification");
            deliver(notification).then().statusCode(200);
            assertEquals(List.of(signal.replica()), heardUntilMarker(listener), "one notification for the commit, from this replica");

            deliver(notification).then().statusCode(200); // a duplicate stores nothing, so it wakes no one
            assertEquals(List.of(), heardUntilMarker(listener), "a duplicate delivery notified the other replicas");
        }
    }

    /**
     * What the listener hears before a marker notified now: PostgreSQL delivers notifications in commit
     * order, so the marker's arrival shows that everything committed before it has been heard.
     */
    private List<String> heardUntilMarker(PGConnection listener) throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        try (Connection c = db.connection(); Statement notify = c.createStatement()) {
            notify.execute("NOTIFY " + DispatchSignal.CHANNEL + ", '" + marker + "'");
        }
        List<String> heard = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] notifications = listener.getNotifications(1_000);
            for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
                if (marker.equals(n.getParameter())) {
                    return heard;
                }
                heard.add(n.getParameter());
            }
        }
        throw new AssertionError("the marker notification did not arrive within 10 s; heard " + heard);
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

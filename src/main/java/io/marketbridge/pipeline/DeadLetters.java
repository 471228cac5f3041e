package io.marketbridge.pipeline;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Header;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists dead letters and replays them: a replay puts the event back in the inbox as due. */
@Singleton
@Named("deadLetters")
public class DeadLetters {

    private final Database db;

    DeadLetters(Database db) {
        this.db = db;
    }

    @RegisterForReflection
    public record DeadLetter(long id, long inboxId, String eventKey, String eventType, String flow, String failure,
            String reason, OffsetDateTime createdAt, OffsetDateTime replayedAt) {
    }

    /** Newest first; {@code open} only those not replayed yet. */
    public List<DeadLetter> list(@Header("open") Boolean open, @Header("limit") Integer limit) throws SQLException {
        int max = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        String where = Boolean.FALSE.equals(open) ? "" : " WHERE d.replayed_at IS NULL";
        List<DeadLetter> letters = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.id, d.inbox_id, e.event_key, e.event_type, d.flow, d.failure, d.reason, d.created_at,"
                        + " d.replayed_at FROM dead_letter d JOIN inbox_event e ON e.id = d.inbox_id" + where
                        + " ORDER BY d.id DESC FETCH FIRST " + max + " ROWS ONLY");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                letters.add(new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class),
                        rs.getObject(9, OffsetDateTime.class)));
            }
        }
        return letters;
    }

    public long openCount() throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dead_letter WHERE replayed_at IS NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Replays one dead letter; unknown or already replayed ids are a clear 404/409. */
    public Map<String, Object> replay(@Header("id") String id) throws SQLException {
        long letterId;
        try {
            letterId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RejectedInput(400, "dead letter id must be a number, got '" + id + "'");
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Long inboxId = null;
                OffsetDateTime replayedAt = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT inbox_id, replayed_at FROM dead_letter WHERE id = ?")) {
                    ps.setLong(1, letterId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            inboxId = rs.getLong(1);
                            replayedAt = rs.getObject(2, OffsetDateTime.class);
                        }
                    }
                }
                if (inboxId == null) {
                    throw new RejectedInput(404, "no dead letter " + letterId);
                }
                if (replayedAt != null || !requeue(c, letterId, inboxId)) {
                    throw new RejectedInput(409, "dead letter " + letterId + " was already replayed");
                }
                c.commit();
                return Map.of("replayed", List.of(letterId));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Replays every open dead letter. */
    public Map<String, Object> replayAll() throws SQLException {
        List<Long> replayed = new ArrayList<>();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id, inbox_id FROM dead_letter WHERE replayed_at IS NULL ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (requeue(c, rs.getLong(1), rs.getLong(2))) {
                        replayed.add(rs.getLong(1));
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return Map.of("replayed", replayed);
    }

    private static boolean requeue(Connection c, long letterId, long inboxId) throws SQLException {
        OffsetDateTime now = Inbox.now();
        int marked = Database.execute(c, "UPDATE dead_letter SET replayed_at = ? WHERE id = ? AND replayed_at IS NULL", now, letterId);
        int requeued = Database.execute(c, "UPDATE inbox_event SET status = 'PENDING', attempts = 0, next_attempt_at = ?,"
                + " last_error = NULL WHERE id = ? AND status = 'DEAD'", now, inboxId);
        return marked == 1 && requeued == 1;
    }
}

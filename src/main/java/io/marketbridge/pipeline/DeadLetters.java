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
import java.util.LinkedHashMap;
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
            String reason, OffsetDateTime createdAt, OffsetDateTime replayedAt, OffsetDateTime discardedAt) {
    }

    /** A dead letter's columns, in the order {@link #letter} reads them, and where they come from. */
    private static final String LETTER_COLUMNS = "SELECT d.id, d.inbox_id, e.event_key, e.event_type, d.flow, d.failure,"
            + " d.reason, d.created_at, d.replayed_at, d.discarded_at";
    private static final String LETTERS = " FROM dead_letter d JOIN inbox_event e ON e.id = d.inbox_id";

    /** Neither replayed nor discarded. */
    private static final String OPEN = "replayed_at IS NULL AND discarded_at IS NULL";

    /** Newest first; {@code open} only those neither replayed nor discarded. */
    public List<DeadLetter> list(@Header("open") Boolean open, @Header("limit") Integer limit) throws SQLException {
        int max = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        String where = Boolean.FALSE.equals(open) ? "" : " WHERE d." + OPEN.replace(" AND ", " AND d.");
        List<DeadLetter> letters = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                LETTER_COLUMNS + LETTERS + where + " ORDER BY d.id DESC FETCH FIRST " + max + " ROWS ONLY");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                letters.add(letter(rs));
            }
        }
        return letters;
    }

    /** One dead letter with its event's payload, personal data masked (PersonalDataMask). */
    public Map<String, Object> one(@Header("id") String id) throws SQLException {
        long letterId = letterId(id);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                LETTER_COLUMNS + ", e.payload" + LETTERS + " WHERE d.id = ?")) {
            ps.setLong(1, letterId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RejectedInput(404, "no dead letter " + letterId);
                }
                Map<String, Object> letter = new LinkedHashMap<>();
                letter.put("letter", letter(rs));
                letter.put("payload", PersonalDataMask.mask(rs.getString(11)));
                return letter;
            }
        }
    }

    private static DeadLetter letter(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, OffsetDateTime.class));
    }

    public long openCount() throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dead_letter WHERE " + OPEN);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Replays one dead letter; unknown, already replayed or discarded ids are a clear 404/409. */
    public Map<String, Object> replay(@Header("id") String id) throws SQLException {
        long letterId = letterId(id);
        db.inTransaction(c -> {
            if (!requeue(c, letterId, openLetter(c, letterId))) {
                throw new RejectedInput(409, "dead letter " + letterId + " was already replayed");
            }
        });
        return Map.of("replayed", List.of(letterId));
    }

    /** Discards one open dead letter: it is not replayed, and leaves the open list; its event stays DEAD. */
    public Map<String, Object> discard(@Header("id") String id) throws SQLException {
        long letterId = letterId(id);
        db.inTransaction(c -> {
            openLetter(c, letterId);
            if (Database.execute(c, "UPDATE dead_letter SET discarded_at = ? WHERE id = ? AND " + OPEN, Inbox.now(), letterId) != 1) {
                throw new RejectedInput(409, "dead letter " + letterId + " was replayed or discarded meanwhile");
            }
        });
        return Map.of("discarded", List.of(letterId));
    }

    private static long letterId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RejectedInput(400, "dead letter id must be a number, got '" + id + "'");
        }
    }

    /** The inbox event of an open dead letter; 404 when there is no such letter, 409 when it is closed. */
    private static long openLetter(Connection c, long letterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT inbox_id, replayed_at, discarded_at FROM dead_letter WHERE id = ?")) {
            ps.setLong(1, letterId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RejectedInput(404, "no dead letter " + letterId);
                }
                if (rs.getObject(2) != null) {
                    throw new RejectedInput(409, "dead letter " + letterId + " was already replayed");
                }
                if (rs.getObject(3) != null) {
                    throw new RejectedInput(409, "dead letter " + letterId + " was discarded");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Replays every open dead letter. */
    public Map<String, Object> replayAll() throws SQLException {
        List<Long> replayed = new ArrayList<>();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id, inbox_id FROM dead_letter WHERE " + OPEN + " ORDER BY id");
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

package io.marketbridge.pipeline;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Erasure in our own store: the events that carry a person's data (by subject) are rewritten
 * without it. Their keys stay, so a redelivery is still recognised and nothing is imported twice.
 */
@Singleton
public class PersonalData {

    private final Database db;

    PersonalData(Database db) {
        this.db = db;
    }

    /**
     * Rewrites every event of {@code subject} with {@code scrub(payload)} under {@code pseudonym};
     * returns how many events were rewritten.
     */
    public int erase(String subject, String pseudonym, UnaryOperator<String> scrub) throws SQLException {
        Map<Long, String> scrubbed = new LinkedHashMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT id, payload FROM inbox_event WHERE subject = ?")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scrubbed.put(rs.getLong(1), scrub.apply(rs.getString(2)));
                }
            }
        }
        if (scrubbed.isEmpty()) {
            return 0;
        }
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE inbox_event SET payload = ?, subject = ? WHERE id = ?")) {
            c.setAutoCommit(false);
            for (Map.Entry<Long, String> event : scrubbed.entrySet()) {
                ps.setString(1, event.getValue());
                ps.setString(2, pseudonym);
                ps.setLong(3, event.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        return scrubbed.size();
    }

    /** Replaces one event's payload, e.g. a deletion request once it has been carried out. */
    public void replacePayload(long eventId, String payload) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "UPDATE inbox_event SET payload = ? WHERE id = ?", payload, eventId);
        }
    }
}

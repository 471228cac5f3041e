package io.marketbridge.pipeline;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Where each poller resumes; moved on only after what it read is safely in the inbox. */
@Singleton
public class Cursors {

    private final Database db;

    Cursors(Database db) {
        this.db = db;
    }

    public Optional<String> get(String flow) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT cursor_value FROM poll_cursor WHERE flow = ?")) {
            ps.setString(1, flow);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets the flow's cursor unless it has one: a replica that loses the race keeps the winner's. */
    public void setIfAbsent(String flow, String value) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, "INSERT INTO poll_cursor (flow, cursor_value, updated_at) SELECT ?, ?, ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM poll_cursor WHERE flow = ?)", flow, value, OffsetDateTime.now(ZoneOffset.UTC), flow);
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    public void set(String flow, String value) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            if (Database.execute(c, "UPDATE poll_cursor SET cursor_value = ?, updated_at = ? WHERE flow = ?", value, now, flow) == 0) {
                Database.execute(c, "INSERT INTO poll_cursor (flow, cursor_value, updated_at) VALUES (?, ?, ?)", flow, value, now);
            }
        }
    }
}

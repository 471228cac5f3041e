package io.marketbridge.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/** Gauges read from the store at scrape time: what waits in the inbox, what is dead-lettered. */
@Singleton
public class PipelineMetrics {

    private final Database db;
    private final DeadLetters deadLetters;

    PipelineMetrics(Database db, DeadLetters deadLetters) {
        this.db = db;
        this.deadLetters = deadLetters;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("marketbridge.inbox.depth", this, m -> m.count("PENDING"))
                .description("Inbox events waiting to be processed").tag("status", "pending").register(registry);
        Gauge.builder("marketbridge.inbox.depth", this, m -> m.count("PROCESSING"))
                .description("Inbox events being processed").tag("status", "processing").register(registry);
        Gauge.builder("marketbridge.inbox.oldest.pending.seconds", this, PipelineMetrics::oldestPendingSeconds)
                .description("How long the oldest event waiting in the inbox has waited since it was received").register(registry);
        Gauge.builder("marketbridge.dead_letters", this, PipelineMetrics::openDeadLetters)
                .description("Dead letters not replayed yet").register(registry);
    }

    private double oldestPendingSeconds() {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT MIN(received_at) FROM inbox_event WHERE status = 'PENDING'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(1, OffsetDateTime.class);
                return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Inbox.now()).toMillis() / 1000.0);
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private double count(String status) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM inbox_event WHERE status = ?")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private double openDeadLetters() {
        try {
            return deadLetters.openCount();
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}

package io.marketbridge.admin;

import io.marketbridge.pipeline.Alerts;
import io.marketbridge.pipeline.Database;
import io.marketbridge.pipeline.DeadLetters;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.quartz.SchedulerException;
import org.quartz.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator asks first: is every flow running, when did it last run, what failed last,
 * how much is waiting, and what is dead-lettered.
 */
@Singleton
@Named("adminStatus")
public class AdminStatus {

    private final CamelContext camel;
    private final Database db;
    private final DeadLetters deadLetters;
    private final Inbox inbox;
    private final PollHealth polls;
    private final Alerts alerts;
    private final List<StatusSection> sections;

    AdminStatus(CamelContext camel, Database db, DeadLetters deadLetters, Inbox inbox, PollHealth polls, Alerts alerts,
            Instance<StatusSection> sections) {
        this.camel = camel;
        this.db = db;
        this.deadLetters = deadLetters;
        this.inbox = inbox;
        this.polls = polls;
        this.alerts = alerts;
        this.sections = sections.stream().sorted(Comparator.comparingInt(StatusSection::order)).toList();
    }

    @RegisterForReflection
    /** {@code nextRun}: when a timer or schedule fires next here; null when it is not one, or runs on another replica. */
    public record Flow(String id, String description, String state, long exchanges, long failed, long inflight,
            Instant lastCompleted, Instant lastFailed, Instant nextRun) {
    }

    @RegisterForReflection
    public record EventType(String type, Map<String, Long> byStatus, OffsetDateTime lastReceived, String lastError) {
    }

    @RegisterForReflection
    public record Cursor(String flow, String cursor, OffsetDateTime updatedAt) {
    }

    public Map<String, Object> report() throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("database", db.kind());
        report.put("flows", flows());
        report.put("events", eventTypes());
        report.put("inbox", inbox.depth());
        report.put("deadLetters", Map.of("open", deadLetters.openCount()));
        report.put("cursors", cursors());
        report.put("polls", polls.status());
        report.put("alerts", alerts.current());
        for (StatusSection section : sections) {
            report.put(section.section(), section.status());
        }
        return report;
    }

    private List<Flow> flows() {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        List<Flow> flows = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            ManagedRouteMBean stats = managed == null ? null : managed.getManagedRoute(route.getRouteId());
            Instant lastCompleted = stats == null ? null : instant(stats.getLastExchangeCompletedTimestamp());
            flows.add(stats == null
                    ? new Flow(route.getRouteId(), route.getDescription(), camel.getRouteController().getRouteStatus(route.getRouteId()).name(),
                            0, 0, 0, null, null, nextRun(route, null))
                    : new Flow(route.getRouteId(), route.getDescription(), stats.getState(), stats.getExchangesTotal(),
                            stats.getExchangesFailed(), stats.getExchangesInflight(),
                            lastCompleted, instant(stats.getLastExchangeFailureTimestamp()), nextRun(route, lastCompleted)));
        }
        flows.sort(Comparator.comparing(Flow::id));
        return flows;
    }

    private List<EventType> eventTypes() throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<String, OffsetDateTime> lastReceived = new TreeMap<>();
        Map<String, String> lastErrors = new TreeMap<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_type, status, COUNT(*), MAX(received_at)"
                    + " FROM inbox_event GROUP BY event_type, status"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), t -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    OffsetDateTime received = rs.getObject(4, OffsetDateTime.class);
                    lastReceived.merge(rs.getString(1), received, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT event_type, last_error FROM inbox_event"
                    + " WHERE last_error IS NOT NULL ORDER BY id DESC FETCH FIRST 100 ROWS ONLY"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastErrors.putIfAbsent(rs.getString(1), rs.getString(2));
                }
            }
        }
        List<EventType> types = new ArrayList<>();
        counts.forEach((type, byStatus) -> types.add(new EventType(type, byStatus, lastReceived.get(type), lastErrors.get(type))));
        return types;
    }

    private List<Cursor> cursors() throws SQLException {
        List<Cursor> cursors = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT flow, cursor_value, updated_at FROM poll_cursor ORDER BY flow");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                cursors.add(new Cursor(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)));
            }
        }
        return cursors;
    }

    /**
     * A schedule's next fire time as Quartz has it; a timer's as Camel's (fixed delay) does: its period
     * after the last run ended, once it has run. Pollers on a follower run on the leader: none here.
     */
    private static Instant nextRun(Route route, Instant lastCompleted) {
        if (route.getConsumer() instanceof MasterConsumer master && !master.isMaster()) {
            return null;
        }
        Endpoint source = route.getEndpoint() instanceof DelegateEndpoint delegate ? delegate.getEndpoint() : route.getEndpoint();
        if (source instanceof QuartzEndpoint schedule) {
            try {
                Trigger trigger = schedule.getComponent().getScheduler().getTrigger(schedule.getTriggerKey());
                return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
            } catch (SchedulerException e) {
                return null;
            }
        }
        if (source instanceof TimerEndpoint timer && lastCompleted != null && timer.getRepeatCount() != 1) {
            return lastCompleted.plusMillis(timer.getPeriod());
        }
        return null;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}

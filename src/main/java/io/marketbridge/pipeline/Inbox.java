package io.marketbridge.pipeline;

import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.InboundEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.spi.IdempotentRepository;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The durable inbox. It is the webhooks' idempotent repository: {@link #add(Exchange, String)}
 * commits the event, or reports a known duplicate, before the sender gets its 2xx; deliveries that
 * arrive together share one transaction ({@link GroupCommit}). Each commit wakes the dispatcher
 * ({@link DispatchSignal}), which claims due events, and each ends done, scheduled for a retry, or
 * dead-lettered.
 */
@Singleton
@Named("inbox")
public class Inbox implements IdempotentRepository {

    /** Histogram buckets of received-to-done latency: a Prometheus query reads percentiles and "within 1 s" from them. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5)};

    /** The exchange property the event router keeps the event in: flows may turn the body into what they map it to. */
    public static final String EVENT = "inboxEvent";

    private static final Logger LOG = Logger.getLogger(Inbox.class);
    static final String PENDING = "PENDING", PROCESSING = "PROCESSING", DONE = "DONE", DEAD = "DEAD";
    private static final int MAX_ERROR = 2000;

    private final Database db;
    private final MarketbridgeConfig.Pipeline config;
    private final MeterRegistry metrics;
    private final DispatchSignal dispatcher;
    private final GroupCommit webhookWrites;

    Inbox(Database db, MarketbridgeConfig config, MeterRegistry metrics, DispatchSignal dispatcher) {
        this.db = db;
        this.config = config.pipeline();
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.webhookWrites = new GroupCommit(this::storeAll, this.config.inboxWriters(), this.config.inboxWriteBatch(), Duration.ofSeconds(30));
    }

    /** At shutdown, not at Camel's stop(): a route that stops takes its repository down with it, other routes still write. */
    @PreDestroy
    void finishWrites() {
        webhookWrites.close();
    }

    // --- accepting -------------------------------------------------------------------------

    /** Stores the event in the exchange body; false when its key is already known. */
    @Override
    public boolean add(Exchange exchange, String key) {
        InboundEvent event = exchange.getMessage().getBody(InboundEvent.class);
        if (event == null || !key.equals(event.key())) {
            throw new IllegalArgumentException("idempotent key " + key + " does not match the inbound event " + event);
        }
        return webhookWrites.store(event);
    }

    private void countReceived(InboundEvent event, boolean added) {
        metrics.counter("marketbridge.events.received", "source", event.source(), "type", event.type(),
                "outcome", added ? "accepted" : "duplicate").increment();
    }

    /** Stores a poller's page of events in one transaction, skipping keys already known; returns how many were new. */
    public int offerAll(List<InboundEvent> events) throws SQLException {
        return storeAll(events).size();
    }

    /**
     * Stores events in one transaction and answers the keys it stored: a key already known, or given
     * twice, is stored once at most.
     */
    private Set<String> storeAll(List<InboundEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return Set.of();
        }
        return db.isPostgres() ? storeInOneStatement(events) : storeInOneTransaction(events);
    }

    /**
     * PostgreSQL: the batch, the duplicate check and the dispatchers' notification in one statement,
     * committed as it runs: one round trip instead of four (look up, insert, notify, commit), which on
     * a busy machine is most of what a commit costs besides the disk flush. A key stored meanwhile by
     * another writer, or twice in the batch, is skipped by {@code ON CONFLICT}, not failed.
     */
    private Set<String> storeInOneStatement(List<InboundEvent> events) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(INSERT_NEW_RETURNING_STORED)) {
            OffsetDateTime now = now();
            ps.setObject(1, now);
            ps.setObject(2, now);
            // String[] is sent as a binary array: no escaping of the payloads into an array literal
            ps.setObject(3, events.stream().map(InboundEvent::source).toArray(String[]::new));
            ps.setObject(4, events.stream().map(InboundEvent::key).toArray(String[]::new));
            ps.setObject(5, events.stream().map(InboundEvent::type).toArray(String[]::new));
            ps.setObject(6, events.stream().map(InboundEvent::payload).toArray(String[]::new));
            ps.setObject(7, events.stream().map(InboundEvent::subject).toArray(String[]::new));
            ps.setString(8, DispatchSignal.CHANNEL);
            ps.setString(9, dispatcher.replica());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        if (!stored.isEmpty()) {
            dispatcher.wake();
        }
        for (InboundEvent event : events) {
            countReceived(event, stored.contains(event.key()));
        }
        return stored;
    }

    /** Rows in arrival order (ids are the dispatch order); pg_notify sends one notification per transaction for equal payloads. */
    private static final String INSERT_NEW_RETURNING_STORED = "WITH stored AS ("
            + " INSERT INTO inbox_event (source, event_key, event_type, payload, subject, status, next_attempt_at, received_at)"
            + " SELECT e.source, e.event_key, e.event_type, e.payload, e.subject, 'PENDING', ?::timestamptz, ?::timestamptz"
            + " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])"
            + " WITH ORDINALITY AS e (source, event_key, event_type, payload, subject, arrival) ORDER BY e.arrival"
            + " ON CONFLICT (event_key) DO NOTHING RETURNING event_key)"
            + " SELECT event_key, pg_notify(?, ?) FROM stored";

    /**
     * H2 (in the process, so round trips cost nothing): looks the keys up, inserts the new ones in a
     * batch, commits. A key another writer stored at the same moment makes the batch fall back to one
     * row at a time.
     */
    private Set<String> storeInOneTransaction(List<InboundEvent> events) throws SQLException {
        Set<String> stored = new HashSet<>();
        List<InboundEvent> fresh = new ArrayList<>();
        try (Connection c = db.connection()) {
            Set<String> known = new HashSet<>();
            String in = Database.placeholders(events.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT event_key FROM inbox_event WHERE event_key IN (" + in + ")")) {
                for (int i = 0; i < events.size(); i++) {
                    ps.setString(i + 1, events.get(i).key());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        known.add(rs.getString(1));
                    }
                }
            }
            for (InboundEvent event : events) {
                if (known.add(event.key())) {
                    fresh.add(event);
                } else {
                    countReceived(event, false);
                }
            }
            if (fresh.isEmpty()) {
                return stored;
            }
            OffsetDateTime now = now();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (InboundEvent event : fresh) {
                    bind(ps, event, now);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!Database.isDuplicateKey(e)) {
                    throw e;
                }
                c.setAutoCommit(true);
                for (InboundEvent event : fresh) {
                    boolean added = insert(c, event, now);
                    if (added) {
                        stored.add(event.key());
                    }
                    countReceived(event, added);
                }
                dispatcher.wake();
                return stored;
            }
        }
        dispatcher.wake();
        for (InboundEvent event : fresh) {
            stored.add(event.key());
            countReceived(event, true);
        }
        return stored;
    }

    /** One row in its own transaction; false when its key is already known. */
    private static boolean insert(Connection c, InboundEvent event, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, event, now);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Database.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private static final String INSERT = "INSERT INTO inbox_event (source, event_key, event_type, payload, subject, status,"
            + " next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?)";

    /** A new event is due at once. */
    private static void bind(PreparedStatement ps, InboundEvent event, OffsetDateTime now) throws SQLException {
        ps.setString(1, event.source());
        ps.setString(2, event.key());
        ps.setString(3, event.type());
        ps.setString(4, event.payload());
        ps.setString(5, event.subject());
        ps.setObject(6, now);
        ps.setObject(7, now);
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("the inbox stores whole events: use add(exchange, key)");
    }

    @Override
    public boolean contains(String key) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbox_event WHERE event_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Never forgets an accepted event: a failure after the commit must not make it disappear. */
    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the inbox is never cleared");
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    // --- dispatching -----------------------------------------------------------------------

    /**
     * Claims up to a batch of due events: pending ones whose time has come, and processing ones
     * whose lease ran out (their worker died). One conditional update marks them with a fresh claim
     * token, so a row goes to exactly one worker or replica, and the token reads back what was won.
     */
    public List<InboxEvent> claimDue() throws SQLException {
        OffsetDateTime now = now();
        int batch = config.claimBatch();
        try (Connection c = db.connection()) {
            List<Long> candidates = ids(c, "SELECT id FROM inbox_event WHERE status = 'PENDING' AND next_attempt_at <= ?"
                    + " ORDER BY id FETCH FIRST " + batch + " ROWS ONLY", now);
            if (candidates.size() < batch) {
                candidates.addAll(ids(c, "SELECT id FROM inbox_event WHERE status = 'PROCESSING' AND claimed_until < ?"
                        + " ORDER BY id FETCH FIRST " + (batch - candidates.size()) + " ROWS ONLY", now));
            }
            if (candidates.isEmpty()) {
                return List.of();
            }
            String token = UUID.randomUUID().toString();
            String in = Database.placeholders(candidates.size());
            List<Object> args = new ArrayList<>(List.of(token, now.plus(config.claimLease())));
            args.addAll(candidates);
            args.addAll(List.of(now, now));
            Database.execute(c, "UPDATE inbox_event SET status = 'PROCESSING', claimed_by = ?, claimed_until = ?,"
                    + " attempts = attempts + 1 WHERE id IN (" + in + ") AND ((status = 'PENDING' AND next_attempt_at <= ?)"
                    + " OR (status = 'PROCESSING' AND claimed_until < ?))", args.toArray());
            List<InboxEvent> claimed = new ArrayList<>(candidates.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT id, source, event_key, event_type, payload, attempts,"
                    + " received_at FROM inbox_event WHERE claimed_by = ? ORDER BY id")) {
                ps.setString(1, token);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(new InboxEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getInt(6), rs.getObject(7, OffsetDateTime.class)));
                    }
                }
            }
            return claimed;
        }
    }

    private static List<Long> ids(Connection c, String sql, OffsetDateTime now) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** The flow handled the event (or none handles its type yet). */
    public void complete(@ExchangeProperty(EVENT) InboxEvent event) throws SQLException {
        update("UPDATE inbox_event SET status = 'DONE', processed_at = ?, claimed_until = NULL, claimed_by = NULL, last_error = NULL"
                + " WHERE id = ?", now(), event.id());
        metrics.counter("marketbridge.events.processed", "type", event.type()).increment();
        // received to done, retries included: what the seller waits for
        Timer.builder("marketbridge.events.latency").tag("type", event.type())
                .serviceLevelObjectives(LATENCY_BUCKETS).register(metrics)
                .record(Duration.between(event.receivedAt(), now()));
    }

    /**
     * A transient failure outlived the in-memory redeliveries: schedule a durable retry with
     * exponential backoff and jitter (or what the peer asked for), or give up past the limit.
     */
    public void retryLater(@ExchangeProperty(EVENT) InboxEvent event, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
            @ExchangeProperty(Exchange.FAILURE_ENDPOINT) String flow) throws SQLException {
        metrics.counter("marketbridge.events.failed", "type", event.type(), "class", "transient").increment();
        if (event.attempts() >= config.maxAttempts()) {
            deadLetter(event, flow, "EXHAUSTED", "gave up after " + event.attempts() + " attempts: " + describe(failure));
            return;
        }
        Duration delay = backoff(event.attempts());
        if (failure instanceof TransientFailure t && t.retryAfter().isPresent() && t.retryAfter().get().compareTo(delay) > 0) {
            delay = t.retryAfter().get();
        }
        LOG.warnf("Event %s (%s) failed, attempt %d; retrying in %s: %s", event.key(), event.type(),
                event.attempts(), delay, describe(failure));
        update("UPDATE inbox_event SET status = 'PENDING', next_attempt_at = ?, claimed_until = NULL, claimed_by = NULL, last_error = ?"
                + " WHERE id = ?", now().plus(delay), truncate(describe(failure)), event.id());
    }

    Duration backoff(int attempts) {
        long base = config.retryDelay().toMillis();
        long cap = config.retryDelayCap().toMillis();
        long exponential = base << Math.min(attempts - 1, 30);
        long delay = Math.min(cap, exponential > 0 ? exponential : cap);
        // full jitter on the upper half: retries of many events do not hit the peer in lockstep
        return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }

    /** A permanent failure: straight to dead letters with the reason. */
    public void deadLetter(@ExchangeProperty(EVENT) InboxEvent event, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
            @ExchangeProperty(Exchange.FAILURE_ENDPOINT) String flow) throws SQLException {
        metrics.counter("marketbridge.events.failed", "type", event.type(), "class", "permanent").increment();
        deadLetter(event, flow, "PERMANENT", describe(failure));
    }

    /** What waits: due now, scheduled for a later retry, being processed; and how long the oldest due event has waited. */
    @RegisterForReflection
    public record Depth(long due, long scheduled, long processing, Long oldestDueSeconds) {
    }

    public Depth depth() throws SQLException {
        OffsetDateTime now = now();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT"
                + " SUM(CASE WHEN status = 'PENDING' AND next_attempt_at <= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN status = 'PENDING' AND next_attempt_at > ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN status = 'PROCESSING' THEN 1 ELSE 0 END),"
                + " MIN(CASE WHEN status = 'PENDING' AND next_attempt_at <= ? THEN next_attempt_at END)"
                + " FROM inbox_event WHERE status IN ('PENDING', 'PROCESSING')")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setObject(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(4, OffsetDateTime.class);
                return new Depth(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        oldest == null ? null : Math.max(0, java.time.Duration.between(oldest, now).toSeconds()));
            }
        }
    }

    /**
     * No flow route handles the event's type (yet, or a route file has a typo): dead-lettered with the
     * reason, never taken for done, so a replay once the route exists processes it.
     */
    public void noFlow(@ExchangeProperty(EVENT) InboxEvent event) throws SQLException {
        metrics.counter("marketbridge.events.failed", "type", event.type(), "class", "unrouted").increment();
        deadLetter(event, "event-router", "UNROUTED", "no flow for type " + event.type());
    }

    /** {@code failedEndpoint} is the flow route's endpoint ({@code direct://odoo-product-from-ebay-listing}). */
    private void deadLetter(InboxEvent event, String failedEndpoint, String failure, String reason) throws SQLException {
        String flow = failedEndpoint == null ? "unknown" : failedEndpoint.replaceFirst("^[a-z]+:(//)?", "").replaceFirst("\\?.*", "");
        LOG.errorf("Event %s (%s) dead-lettered by %s: %s", event.key(), event.type(), flow, reason);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Database.execute(c, "UPDATE inbox_event SET status = 'DEAD', claimed_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?",
                        truncate(reason), event.id());
                Database.execute(c, "INSERT INTO dead_letter (inbox_id, flow, failure, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                        event.id(), flow, failure, truncate(reason), now());
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Stores an event that already failed for good (a channel refused an item): dead-lettered at
     * once with the reason, replayable like any other. False when the same key is already known.
     */
    public boolean offerRejected(InboundEvent event, String flow, String reason) throws SQLException {
        OffsetDateTime now = now();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox_event (source, event_key, event_type, payload, subject,"
                    + " status, next_attempt_at, received_at, last_error) VALUES (?, ?, ?, ?, ?, 'DEAD', ?, ?, ?)", new String[] {"id"})) {
                ps.setString(1, event.source());
                ps.setString(2, event.key());
                ps.setString(3, event.type());
                ps.setString(4, event.payload());
                ps.setString(5, event.subject());
                ps.setObject(6, now);
                ps.setObject(7, now);
                ps.setString(8, truncate(reason));
                ps.executeUpdate();
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                Database.execute(c, "INSERT INTO dead_letter (inbox_id, flow, failure, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                        id, flow, "PERMANENT", truncate(reason), now);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (Database.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        }
        countReceived(event, true);
        metrics.counter("marketbridge.events.failed", "type", event.type(), "class", "permanent").increment();
        LOG.errorf("Event %s (%s) dead-lettered by %s: %s", event.key(), event.type(), flow, reason);
        return true;
    }

    // --- helpers ---------------------------------------------------------------------------

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.connection()) {
            Database.execute(c, sql, args);
        }
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        return failure instanceof SyncFailure ? failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    static String truncate(String s) {
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 1) + "…";
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}

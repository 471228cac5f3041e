package io.marketbridge.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Dispatch on commit: events the inbox commits are handed to the dispatcher at once rather than at
 * its next timer tick. In this process the inbox wakes the dispatcher route directly; on PostgreSQL
 * each commit also notifies {@link #CHANNEL}, so the dispatchers of the other replicas wake too. The
 * timer stays as the safety net (retries coming due, expired claims, a lost notification).
 */
@Singleton
public class DispatchSignal {

    /** The dispatcher route's source; a wake that finds it busy waits as the one next round (size 1), more are dropped. */
    static final String DISPATCHER = "seda:inbox-due?size=1&discardWhenFull=true";
    static final String CHANNEL = "marketbridge_inbox";
    private static final Logger LOG = Logger.getLogger(DispatchSignal.class);

    /** Tells this replica's own notifications from the others'. */
    private final String replica = UUID.randomUUID().toString();
    private final Database db;
    private final ProducerTemplate camel;
    private volatile Thread listener;
    private volatile Endpoint dispatcher;

    DispatchSignal(Database db, ProducerTemplate camel) {
        this.db = db;
        this.camel = camel;
    }

    /** The payload of this replica's notifications on {@link #CHANNEL}, which the inbox sends as it commits new events. */
    String replica() {
        return replica;
    }

    /** Wakes this replica's dispatcher; never fails the commit that calls it. */
    void wake() {
        try {
            if (dispatcher == null) {
                dispatcher = camel.getCamelContext().getEndpoint(DISPATCHER); // once: resolving the URI costs more than the send
            }
            camel.sendBody(dispatcher, null);
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not wake the dispatcher; its timer will find the events");
        }
    }

    void listen(@Observes StartupEvent started) {
        if (db.isPostgres()) { // only PostgreSQL tells other replicas of a commit
            listener = new Thread(this::listenForOtherReplicas, "inbox-listener");
            listener.setDaemon(true);
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        Thread running = listener;
        listener = null;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Holds one connection that LISTENs; reconnects after a failure, the timer covering the gap. */
    private void listenForOtherReplicas() {
        while (listener != null) {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (listener != null) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && java.util.Arrays.stream(notifications).anyMatch(n -> !replica.equals(n.getParameter()))) {
                        wake();
                    }
                }
            } catch (SQLException e) {
                if (listener == null) {
                    return;
                }
                LOG.warnf("Listening for other replicas' inbox commits failed (%s); the dispatch timer covers until it reconnects", e.getMessage());
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}

package io.marketbridge.pipeline;

import io.agroal.api.AgroalDataSource;
import io.marketbridge.config.DatabaseSelection;
import io.marketbridge.config.MarketbridgeConfig;
import io.quarkus.agroal.DataSource.DataSourceLiteral;
import io.quarkus.arc.Arc;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The service's own store: the one datasource made active by {@code DatabaseSelection}. */
@Singleton
public class Database {

    /** Work done on one connection, inside a transaction. */
    @FunctionalInterface
    public interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Sets one row's parameters on a statement. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** A transaction that lost a race to a concurrent writer is run again, up to this many times in all. */
    private static final int RACE_ATTEMPTS = 5;

    private final String kind;
    private final AgroalDataSource dataSource;

    Database(MarketbridgeConfig config) {
        this.kind = config.db().kind();
        this.dataSource = Arc.container().select(AgroalDataSource.class, new DataSourceLiteral(kind)).get();
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public String kind() {
        return kind;
    }

    /** PostgreSQL rather than the embedded H2: where LISTEN/NOTIFY exists and a round trip is not free. */
    public boolean isPostgres() {
        return DatabaseSelection.POSTGRESQL.equals(kind);
    }

    /**
     * Runs {@code work} in one transaction. When a concurrent writer wins a race (a unique key taken
     * meanwhile, a deadlock, a concurrent update), the work is rolled back and run again: it must be
     * idempotent, as replacing rows is.
     */
    public void inTransaction(Work work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                try {
                    work.run(c);
                    c.commit();
                    return;
                } catch (RuntimeException e) {
                    c.rollback(); // a refusal (RejectedInput) undoes the work too
                    throw e;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt == RACE_ATTEMPTS || !isLostRace(e)) {
                        throw e;
                    }
                }
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt)); // step out of the other writer's way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while retrying a transaction", e);
            }
        }
    }

    /** Runs one parameterised statement on the given connection. */
    public static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Updates each row in place and inserts the rows no update matched, in two batches. Both
     * statements take the same parameters in the same order (the key last), set by {@code bind}.
     * Updating first means a concurrent writer's row is waited for rather than collided with; run it
     * in {@link #inTransaction} so that two first inserts of one key settle by a retry.
     */
    public static <T> void updateOrInsert(Connection c, String update, String insert, Collection<T> rows, Binder<T> bind)
            throws SQLException {
        List<T> unmatched = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (T row : rows) {
                bind.bind(ps, row);
                ps.addBatch();
            }
            int[] updated = ps.executeBatch();
            int i = 0;
            for (T row : rows) {
                if (updated[i++] == 0) {
                    unmatched.add(row);
                }
            }
        }
        if (unmatched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (T row : unmatched) {
                bind.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {@code ?, ?, ?} for an {@code IN (...)} of {@code count} values. */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** SQL state 23505 is a unique-key violation on both H2 and PostgreSQL. */
    public static boolean isDuplicateKey(SQLException e) {
        return hasState(e, Set.of("23505"));
    }

    /**
     * A concurrent writer got there first: a unique-key violation (23505), a serialization failure or
     * H2 deadlock (40001), a PostgreSQL deadlock (40P01), an H2 concurrent update (90131) or lock timeout (HYT00).
     */
    static boolean isLostRace(SQLException e) {
        return hasState(e, Set.of("23505", "40001", "40P01", "90131", "HYT00"));
    }

    private static boolean hasState(SQLException e, Set<String> states) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (states.contains(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

package io.marketbridge.pipeline;

import io.agroal.api.AgroalDataSource;
import io.marketbridge.config.MarketbridgeConfig;
import io.quarkus.agroal.DataSource.DataSourceLiteral;
import io.quarkus.arc.Arc;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;

/** The service's own store: the one datasource made active by {@code DatabaseSelection}. */
@Singleton
public class Database {

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

    /** Runs one parameterised statement on the given connection. */
    public static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** {@code ?, ?, ?} for an {@code IN (...)} of {@code count} values. */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** SQL state 23505 is a unique-key violation on both H2 and PostgreSQL. */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

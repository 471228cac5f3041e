package io.marketbridge.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL started by the test itself (binaries from Maven Central), on a free port:
 * nothing installed by hand, and never the server that may already listen on 5432.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        return Map.of(
                "marketbridge.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "marketbridge.db.username", "postgres",
                "marketbridge.db.password", "postgres",
                "marketbridge.db.kind", "postgresql",
                "quarkus.datasource.h2.active", "false",
                "quarkus.datasource.postgresql.active", "true");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

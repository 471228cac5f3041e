package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark main classes share: their {@code --key=value} options and the packaged jar run with its simulated peers. */
final class Benchmarks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service's garbage collector, as both images run it (the native image's default; GC_CONTAINER_OPTIONS in Dockerfile.jvm). */
    static final String COLLECTOR = "-XX:+UseSerialGC";

    private Benchmarks() {
    }

    /** {@code --key=value} arguments over the defaults; a bare {@code --flag} is "true". */
    static Map<String, String> options(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return options;
    }

    /** A JSON-RPC {@code execute_kw} on the simulated Odoo the process serves; its {@code result}. */
    static JsonNode odoo(ServiceProcess service, String model, String method, List<?> args) throws Exception {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", model, method, args, Map.of())));
        return JSON.readTree(service.send(HttpRequest.newBuilder(URI.create(service.url("/sandbox/odoo/jsonrpc")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call))))
                .body()).path("result");
    }

    /** The jar in its demo profile serving the simulated peers (no simulated seller activity), quiet, Jolokia on its own port. */
    static Map<String, String> withSimulatedPeers(int jolokiaPort) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "demo");
        env.put("MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml");
        env.put("MARKETBRIDGE_SANDBOX_EBAY_ACTIVITY", "false");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", String.valueOf(jolokiaPort));
        return env;
    }

    /**
     * The service's store for one run: an H2 file ({@code WRITE_DELAY=0}: each commit written before
     * the answer, which survives a killed process but not a lost machine), or an embedded PostgreSQL
     * with the durability production uses ({@code synchronous_commit=on}, {@code fsync=on}; checked,
     * so no figure is taken on a store that acknowledges before it flushes).
     */
    static final class Store implements AutoCloseable {
        final String description;
        private final EmbeddedPostgres postgres;

        private Store(String description, EmbeddedPostgres postgres) {
            this.description = description;
            this.postgres = postgres;
        }

        /** Opens the store {@code db} names and points the service's environment at it. */
        static Store open(String db, Path tmp, Map<String, String> env) throws Exception {
            if (db.equals("h2")) {
                env.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("bench") + ";WRITE_DELAY=0");
                return new Store("H2 file, WRITE_DELAY=0", null);
            }
            if (!db.equals("postgresql")) {
                throw new IllegalArgumentException("--db is h2 or postgresql, not " + db);
            }
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
            env.put("MARKETBRIDGE_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("MARKETBRIDGE_DB_USERNAME", "postgres");
            env.put("MARKETBRIDGE_DB_PASSWORD", "postgres");
            return new Store(durability(postgres), postgres);
        }

        private static String durability(EmbeddedPostgres postgres) throws Exception {
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                StringBuilder settings = new StringBuilder("PostgreSQL");
                for (String setting : List.of("server_version", "synchronous_commit", "fsync")) {
                    try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
                        rs.next();
                        settings.append(setting.equals("server_version") ? " " : ", " + setting + "=").append(rs.getString(1));
                    }
                }
                if (!settings.toString().contains("synchronous_commit=on") || !settings.toString().contains("fsync=on")) {
                    postgres.close();
                    throw new IllegalStateException("not the durability production uses: " + settings);
                }
                return settings.toString();
            }
        }

        @Override
        public void close() throws java.io.IOException {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}

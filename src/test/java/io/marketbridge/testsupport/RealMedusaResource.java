package io.marketbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Medusa 2.21.2 for the contract tests, from nothing but the npm registry: the minimal Medusa app kept in
 * {@code src/test/medusa} (exact versions, lock file) is installed with {@code npm ci} into
 * {@code ~/.cache/marketbridge/medusa-<hash of the lock file>} (reused while the lock file is unchanged, never inside
 * the repository), given a PostgreSQL of its own (the embedded one the other tests use, on a free port), migrated,
 * given an admin user, and started with {@code medusa start} on a free port. Once it answers {@code /health}, an admin
 * token makes the secret API key, the stock location (linked to the default sales channel) the service is configured
 * with. Everything is stopped afterwards; the output of npm and Medusa is kept in {@code target/medusa-server.log}.
 */
public class RealMedusaResource implements QuarkusTestResourceLifecycleManager {

    private static final Path APP = Path.of("src/test/medusa");
    private static final List<String> APP_FILES = List.of("package.json", "package-lock.json", "medusa-config.ts", "tsconfig.json");
    private static final String EMAIL = "marketbridge@example.com";
    private static final String PASSWORD = "marketbridge-" + Long.toHexString(System.nanoTime());
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedPostgres postgres;
    private Process medusa;
    private Path log;

    @Override
    public Map<String, String> start() {
        try {
            log = Path.of("target", "medusa-server.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            Path home = install();
            postgres = EmbeddedPostgres.builder().start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE medusa");
            }
            int port = freePort();
            Map<String, String> env = Map.of(
                    "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/medusa",
                    "NODE_ENV", "production",
                    "PORT", String.valueOf(port),
                    "MEDUSA_DISABLE_TELEMETRY", "true",
                    "DO_NOT_TRACK", "1",
                    "JWT_SECRET", "marketbridge-test-" + port,
                    "COOKIE_SECRET", "marketbridge-test-" + port);
            Path cli = home.resolve("node_modules/.bin/medusa");
            run(home, env, Duration.ofMinutes(5), cli.toString(), "db:migrate");
            run(home, env, Duration.ofMinutes(2), cli.toString(), "user", "-e", EMAIL, "-p", PASSWORD);
            medusa = process(home, env, cli.toString(), "start", "--host", "127.0.0.1", "--port", String.valueOf(port)).start();
            String url = "http://127.0.0.1:" + port;
            awaitHealth(url);
            return configure(url);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start the real Medusa (see target/medusa-server.log)", e);
        } catch (SQLException e) {
            stop();
            throw new IllegalStateException("cannot create Medusa's database", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting the real Medusa", e);
        }
    }

    @Override
    public void stop() {
        if (medusa != null) {
            List<ProcessHandle> children = new ArrayList<>(medusa.descendants().toList());
            medusa.destroy();
            children.forEach(ProcessHandle::destroy);
            try {
                if (!medusa.waitFor(20, TimeUnit.SECONDS)) {
                    medusa.destroyForcibly();
                    children.forEach(ProcessHandle::destroyForcibly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                medusa.destroyForcibly();
            }
            medusa = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    /** The app's installed copy: reused when its lock file's hash matches, else installed aside and moved in place. */
    private Path install() throws IOException, InterruptedException {
        String hash = sha256(Files.readAllBytes(APP.resolve("package-lock.json"))).substring(0, 16);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "marketbridge");
        Path home = cache.resolve("medusa-" + hash);
        if (Files.isRegularFile(home.resolve("node_modules/.bin/medusa"))) {
            for (String file : APP_FILES) { // the same lock file; the config may have changed
                Files.copy(APP.resolve(file), home.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            return home;
        }
        Files.createDirectories(cache);
        Path staging = Files.createTempDirectory(cache, "medusa-" + hash + "-installing-");
        for (String file : APP_FILES) {
            Files.copy(APP.resolve(file), staging.resolve(file));
        }
        try {
            run(staging, Map.of(), INSTALL_TIMEOUT, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        } catch (IOException | InterruptedException failed) {
            delete(staging); // its output is in the log; a half install is never reused
            throw failed;
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherBuildWasFaster) {
            if (!Files.isRegularFile(home.resolve("node_modules/.bin/medusa"))) {
                throw anotherBuildWasFaster;
            }
        }
        return home;
    }

    private static void delete(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private ProcessBuilder process(Path directory, Map<String, String> env, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder;
    }

    private void run(Path directory, Map<String, String> env, Duration timeout, String... command) throws IOException, InterruptedException {
        Process process = process(directory, env, command).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue() + " in " + directory);
        }
    }

    private void awaitHealth(String url) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!medusa.isAlive()) {
                throw new IOException("medusa start exited with code " + medusa.exitValue());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("Medusa did not answer " + url + "/health within " + START_TIMEOUT);
    }

    /** An admin token, then the secret key, stock location and sales channel the service is configured with. */
    private Map<String, String> configure(String url) throws IOException, InterruptedException {
        String token = post(url, "/auth/user/emailpass", null, Map.of("email", EMAIL, "password", PASSWORD)).path("token").asText();
        String key = post(url, "/admin/api-keys", token, Map.of("title", "marketbridge", "type", "secret")).path("api_key").path("token").asText();
        String location = post(url, "/admin/stock-locations", token, Map.of("name", "Marketbridge test warehouse"))
                .path("stock_location").path("id").asText();
        String salesChannel = send(url, HttpRequest.newBuilder(URI.create(url + "/admin/sales-channels?fields=id")).GET(), token)
                .path("sales_channels").path(0).path("id").asText();
        post(url, "/admin/stock-locations/" + location + "/sales-channels", token, Map.of("add", List.of(salesChannel)));
        return Map.of(
                "marketbridge.medusa.enabled", "true",
                "marketbridge.medusa.url", url,
                "marketbridge.medusa.api-key", key,
                "marketbridge.medusa.stock-location-id", location,
                "marketbridge.medusa.sales-channel-id", salesChannel);
    }

    private JsonNode post(String url, String path, String token, Object body) throws IOException, InterruptedException {
        return send(url, HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))), token);
    }

    private JsonNode send(String url, HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(response.request().method() + " " + response.request().uri().getPath() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

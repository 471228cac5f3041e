package io.marketbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, the way it
 * runs in production: configured by environment variables only, killable with SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private final Path jar;
    private Process process;
    private Duration startUp;

    public ServiceProcess(String name, int port, Map<String, String> env) throws IOException {
        this(name, port, env, jar());
    }

    /** A service run from another jar than the default build's (the production build's). */
    public ServiceProcess(String name, int port, Map<String, String> env, Path jar) throws IOException {
        this.port = port;
        this.jar = jar;
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), name + "-", ".log");
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("marketbridge.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: " + jar + " is missing");
        }
        return jar;
    }

    /** Starts the jar and waits until it answers on its port. */
    public ServiceProcess start(String... javaOptions) throws IOException, InterruptedException {
        long launched = System.nanoTime();
        launch(javaOptions);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (get("/q/health/live").statusCode() == 200) {
                    startUp = Duration.ofNanos(System.nanoTime() - launched);
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the service did not start within 60 s:\n" + output());
    }

    /** Starts the jar and waits for it to exit on its own (a start-up failure). */
    public int runToExit(String... javaOptions) throws IOException, InterruptedException {
        launch(javaOptions);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service did not exit:\n" + output());
        }
        return process.exitValue();
    }

    private void launch(String... javaOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(javaOptions));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** From launching the JVM to the first answer of its liveness endpoint (polled every 20 ms). */
    public Duration startUp() {
        return startUp;
    }

    /** The process's resident memory now, in MiB (Linux). */
    public long residentMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    /** SIGKILL: no shutdown hook, no graceful stop, exactly like a node or OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A graceful stop (SIGTERM), then SIGKILL if it hangs. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.marketbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A recording proxy in front of a real Odoo: the service talks to it as to Odoo, it forwards every call
 * unchanged and keeps each one as a transcript entry (transport, model, method, positional and keyword
 * arguments, HTTP status, and the answer: its result, shortened, or its error name). Secrets are never
 * recorded. The transcripts are the contract the simulated Odoo is held to ({@code OdooTranscriptTest}).
 */
public final class OdooRecorder implements AutoCloseable {

    public static final String SECRET = "<secret>";
    /** Marks a call a test makes itself ({@code test}), recorded as such and not forwarded. */
    public static final String ACTOR_HEADER = "X-Recorded-Actor";
    /** Longest list kept of a result: enough to show its shape and the ids a replay maps. */
    private static final int LIST_LIMIT = 5;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> FORWARDED_HEADERS = Set.of("Content-Type", "Authorization", "X-Odoo-Database");

    private final URI target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ObjectNode> entries = new ArrayList<>();

    public OdooRecorder(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "") + path))
                    .timeout(Duration.ofSeconds(60)).method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED_HEADERS.stream().anyMatch(name::equalsIgnoreCase)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            String actor = exchange.getRequestHeaders().getFirst(ACTOR_HEADER);
            record(actor == null ? "service" : actor, path, body, response.statusCode(), response.body());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private void record(String actor, String path, byte[] requestBody, int status, byte[] responseBody) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("actor", actor);
        try {
            JsonNode request = JSON.readTree(requestBody);
            JsonNode reply = responseBody.length == 0 ? null : JSON.readTree(responseBody);
            if (path.endsWith("/jsonrpc")) {
                JsonNode params = request.path("params");
                ArrayNode args = params.path("args").deepCopy();
                entry.put("transport", "jsonrpc");
                if (params.path("method").asText().equals("execute_kw")) {
                    if (args.size() > 2) {
                        args.set(2, TextNode.valueOf(SECRET));
                    }
                    entry.put("model", args.path(3).asText());
                    entry.put("method", args.path(4).asText());
                    entry.set("args", args.path(5));
                    entry.set("kwargs", args.size() > 6 ? args.get(6) : JsonNodeFactory.instance.objectNode());
                } else {
                    if (args.size() > 2) {
                        args.set(2, TextNode.valueOf(SECRET)); // authenticate(db, login, password, ...)
                    }
                    entry.put("model", params.path("service").asText());
                    entry.put("method", params.path("method").asText());
                    entry.set("args", args);
                    entry.set("kwargs", JsonNodeFactory.instance.objectNode());
                }
                entry.put("status", status);
                JsonNode error = reply == null ? null : reply.get("error");
                if (error != null) {
                    entry.put("error", error.path("data").path("name").asText(error.path("message").asText()));
                    entry.put("message", error.path("data").path("message").asText());
                } else {
                    entry.set("result", shorten(reply == null || !reply.has("result") ? null : reply.get("result")));
                }
            } else {
                String[] parts = path.split("/");
                entry.put("transport", "json2");
                entry.put("model", parts[parts.length - 2]);
                entry.put("method", parts[parts.length - 1]);
                entry.set("args", JsonNodeFactory.instance.arrayNode());
                entry.set("kwargs", request);
                entry.put("status", status);
                if (status >= 300) {
                    entry.put("error", reply != null && reply.has("name") ? reply.get("name").asText() : "HTTP " + status);
                    entry.put("message", reply == null ? "" : reply.path("message").asText());
                } else {
                    entry.set("result", shorten(reply));
                }
            }
        } catch (IOException e) {
            entry.put("unreadable", path + ": " + e.getMessage());
        }
        synchronized (entries) {
            entries.add(entry);
        }
    }

    /** Lists cut to their first few elements, at every depth. */
    private static JsonNode shorten(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < Math.min(LIST_LIMIT, node.size()); i++) {
                copy.add(shorten(node.get(i)));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(f -> copy.set(f.getKey(), shorten(f.getValue())));
            return copy;
        }
        return node;
    }

    /**
     * Writes the distinct calls recorded since the last call to {@code <dir>/<scenario>.json}, in the order
     * they were sent (a poll repeating the same call with the same answer is kept once).
     */
    public void writeScenario(Path dir, String scenario) throws IOException {
        List<ObjectNode> taken;
        synchronized (entries) {
            taken = entries.stream().collect(java.util.stream.Collectors.toMap(JsonNode::toString, e -> e, (a, b) -> a,
                    java.util.LinkedHashMap::new)).values().stream().toList();
            entries.clear();
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(scenario + ".json"), JSON.writeValueAsString(taken) + "\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.SyncFailure;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Medusa v2's Admin API with the secret API key (HTTP Basic, the key as user name, empty password).
 * Answers are returned whatever their status, with Medusa's error read leniently: its
 * {@code {"type","message"}}, a bare {@code {"message"}}, or the HTML page of an unknown route.
 */
@Singleton
public class MedusaApi {

    static final String PEER = "medusa";
    private static final int MAX_REASON = 400;

    private final PeerHttp http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;

    MedusaApi(PeerHttp http, ObjectMapper json, MedusaConfig config) {
        this.http = http;
        this.json = json;
        MedusaConfig medusa = config;
        this.baseUrl = medusa.url().map(URI::toString).orElse("").replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((medusa.apiKey().orElse("") + ":").getBytes(StandardCharsets.UTF_8));
        this.timeout = medusa.timeout();
    }

    /**
     * One answer of Medusa's.
     *
     * @param type    Medusa's error type ({@code invalid_data}, {@code not_found}, ...), empty when the answer had none
     * @param message Medusa's message, or the text of a non-JSON answer
     */
    public record Reply(int status, JsonNode body, String type, String message, Duration retryAfter) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** What Medusa said, as one line: {@code not_found: Stock location with id: x was not found}. */
        public String reason() {
            return type.isEmpty() ? message : type + ": " + message;
        }
    }

    public Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
    }

    public Reply post(String path, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request to " + path, e);
        }
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** The body of a 2xx answer; any other answer is thrown, classified. */
    public JsonNode require(Reply reply, String doing) {
        if (reply.ok()) {
            return reply.body();
        }
        throw failure(reply, doing);
    }

    /**
     * A refused call as the pipeline's failure: a refused key is permanent and names its setting, 408/429/5xx are
     * transient, any other refusal permanent with Medusa's message.
     */
    public static SyncFailure failure(Reply reply, String doing) {
        if (reply.status() == 401) {
            return new PermanentFailure(PEER, "Medusa refused the secret API key while " + doing
                    + ": check marketbridge.medusa.api-key (MARKETBRIDGE_MEDUSA_API_KEY); HTTP 401: " + reply.reason());
        }
        String detail = doing + ": " + reply.reason();
        if (reply.status() == 404 && reply.type().isEmpty()) {
            detail += " (not a Medusa Admin API route: check marketbridge.medusa.url)";
        }
        return PeerHttp.failure(PEER, reply.status(), reply.retryAfter(), detail);
    }

    /** {@code name[]=v1&name[]=v2}, encoded: how Medusa's list filters take several values. */
    public static String anyOf(String name, Collection<String> values) {
        String encodedName = encode(name + "[]");
        return values.stream().map(value -> encodedName + "=" + encode(value)).collect(Collectors.joining("&"));
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Reply send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = http.send(PEER, request.timeout(timeout).header("Authorization", authorization)
                .header("Accept", "application/json").build());
        JsonNode body = parse(response.body());
        String message = body.path("message").asText("");
        String type = body.path("type").asText("");
        if (message.isEmpty() && !(response.statusCode() >= 200 && response.statusCode() < 300)) {
            message = text(response.body());
        }
        return new Reply(response.statusCode(), body, type, message, PeerHttp.retryAfter(response).orElse(null));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? null : json.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException notJson) {
            return MissingNode.getInstance(); // an HTML error page, read as text
        }
    }

    /** A non-JSON answer (Express' "Cannot GET /admin/x" page, a proxy's error) as one short line. */
    private static String text(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("(?s)<(script|style).*?</\\1>", " ")
                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            return "no details";
        }
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
    }
}

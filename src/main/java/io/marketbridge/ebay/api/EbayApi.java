package io.marketbridge.ebay.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * eBay's REST APIs with the seller's or the application's token: a 401 costs one token refresh and one retry; 429
 * (quota exhausted) and 5xx are transient, other errors permanent with eBay's own message.
 */
@Singleton
public class EbayApi {

    /** Enough of an error answer to read eBay's error envelope. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final EbayTokens tokens;
    private final EbayBackoff backoff;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final String baseUrl;

    EbayApi(EbayTokens tokens, EbayBackoff backoff, PeerHttp http, ObjectMapper json, EbayConfig config) {
        this.tokens = tokens;
        this.backoff = backoff;
        this.http = http;
        this.json = json;
        this.baseUrl = config.apiUrl().orElse(config.environment().apiUrl).toString().replaceAll("/$", "");
    }

    /** GET {@code pathAndQuery} (e.g. {@code /sell/fulfillment/v1/order?limit=200}) as the seller. */
    public JsonNode get(String pathAndQuery) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, true);
    }

    /** GET as the seller; empty when eBay answers 404 (e.g. getOffers for a SKU without an offer). */
    public Optional<JsonNode> find(String pathAndQuery) {
        HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), true,
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return Optional.of(body);
        }
        throw failure(response, body, pathAndQuery);
    }

    /** GET as the application (Taxonomy, notification public keys). */
    public JsonNode getAsApplication(String pathAndQuery) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, false);
    }

    /** eBay's answer to a call whose errors the caller reads itself (a 409 "already exists" is an answer, not a failure). */
    public record Reply(int status, JsonNode body, Optional<String> location) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first error's {@code errorId}, or 0. */
        public int errorId() {
            return body.path("errors").path(0).path("errorId").asInt(0);
        }

        public String message() {
            return errorMessage(body);
        }
    }

    /**
     * {@code method} with a JSON body (or none) as the seller or the application. A 401 costs one token refresh and one
     * retry; 429 and 5xx throw as transient; other answers, 4xx included, are returned for the caller to read.
     */
    public Reply send(String method, String pathAndQuery, Object jsonBody, boolean asSeller) {
        HttpRequest.BodyPublisher body;
        try {
            body = jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(jsonBody));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request to " + pathAndQuery, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).method(method, body);
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = exchange(request, asSeller, HttpResponse.BodyHandlers.ofByteArray());
        Reply reply = new Reply(response.statusCode(), parse(response.body()), response.headers().firstValue("Location"));
        if (reply.status() == 429 || reply.status() == 408 || reply.status() >= 500) {
            throw failure(response, reply.body(), pathAndQuery);
        }
        return reply;
    }

    /**
     * GET as the application, the answer handed to {@code reader} as a stream (gzip accepted and
     * decoded): for answers too large to hold in memory, such as a whole category tree.
     */
    public <T> T streamAsApplication(String pathAndQuery, StreamReader<T> reader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET()
                .header("Accept-Encoding", "gzip");
        HttpResponse<InputStream> response = exchange(request, false, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = decoded(response)) {
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                return reader.read(body);
            }
            throw failure(response, parse(body.readNBytes(MAX_ERROR_BODY)), pathAndQuery);
        } catch (JsonEOFException e) {
            throw new TransientFailure(EbayTokens.PEER, "the answer to " + pathAndQuery + " ended early: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new PermanentFailure(EbayTokens.PEER, "unreadable answer to " + pathAndQuery + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TransientFailure(EbayTokens.PEER, "reading the answer to " + pathAndQuery + " failed: " + e, e);
        }
    }

    /** Reads a streamed answer; its structure errors are {@link PermanentFailure}s. */
    @FunctionalInterface
    public interface StreamReader<T> {
        T read(InputStream body) throws IOException;
    }

    private JsonNode call(HttpRequest.Builder request, String what, boolean asSeller) {
        HttpResponse<byte[]> response = exchange(request, asSeller, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return body;
        }
        throw failure(response, body, what);
    }

    /** Sends with the seller's or the application's token; a 401 costs one refresh and one retry. */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, boolean asSeller, HttpResponse.BodyHandler<T> bodyHandler) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        String token = asSeller ? tokens.userToken() : tokens.applicationToken();
        HttpResponse<T> response = http.send(EbayTokens.PEER, request.copy().header("Authorization", "Bearer " + token).build(), bodyHandler);
        if (response.statusCode() == 401) {
            discard(response);
            if (asSeller) {
                tokens.userTokenRejected(token);
            } else {
                tokens.applicationTokenRejected(token);
            }
            String fresh = asSeller ? tokens.userToken() : tokens.applicationToken();
            response = http.send(EbayTokens.PEER, request.copy().header("Authorization", "Bearer " + fresh).build(), bodyHandler);
        }
        return response;
    }

    private RuntimeException failure(HttpResponse<?> response, JsonNode body, String what) {
        int status = response.statusCode();
        String message = errorMessage(body);
        if (status == 429) {
            return new TransientFailure(EbayTokens.PEER, "quota exhausted on " + what + ": " + message,
                    backoff.hold(what, PeerHttp.retryAfter(response)), null);
        }
        if (status == 401) {
            return new PermanentFailure(EbayTokens.PEER, "eBay refused a freshly refreshed token on " + what + ": " + message);
        }
        return PeerHttp.failure(EbayTokens.PEER, status, PeerHttp.retryAfter(response).orElse(null), what + ": " + message);
    }

    private static InputStream decoded(HttpResponse<InputStream> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(e -> e.trim().equalsIgnoreCase("gzip")).orElse(false);
        return gzip ? new GZIPInputStream(response.body()) : response.body();
    }

    /** A streamed answer not read must still be closed, or its connection is never freed. */
    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }

    /** eBay's error envelope: {@code {"errors":[{"errorId","message",...}]}}. */
    private static String errorMessage(JsonNode body) {
        JsonNode first = body.path("errors").path(0);
        if (first.isMissingNode()) {
            return "no error details";
        }
        return first.path("errorId").asText("?") + " " + first.path("message").asText("");
    }

    private JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode().put("unparsed", new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
        }
    }
}

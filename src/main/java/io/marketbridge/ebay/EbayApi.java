package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * eBay's REST APIs with the seller's or the application's token: a 401 costs one token refresh and one retry; 429
 * (quota exhausted) and 5xx are transient, other errors permanent with eBay's own message.
 */
@Singleton
public class EbayApi {

    /** eBay does not promise a Retry-After with 429: wait at least this long before trying again. */
    private static final Duration QUOTA_BACKOFF = Duration.ofMinutes(1);

    private final EbayTokens tokens;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final String baseUrl;

    EbayApi(EbayTokens tokens, PeerHttp http, ObjectMapper json, MarketbridgeConfig config) {
        this.tokens = tokens;
        this.http = http;
        this.json = json;
        this.baseUrl = config.ebay().apiUrl().orElse(config.ebay().environment().apiUrl).toString().replaceAll("/$", "");
    }

    /** GET {@code pathAndQuery} (e.g. {@code /sell/fulfillment/v1/order?limit=200}) as the seller. */
    public JsonNode get(String pathAndQuery) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, true);
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
        HttpResponse<byte[]> response = exchange(request, asSeller);
        Reply reply = new Reply(response.statusCode(), parse(response.body()), response.headers().firstValue("Location"));
        if (reply.status() == 429) {
            throw new TransientFailure(EbayTokens.PEER, "quota exhausted on " + pathAndQuery + ": " + reply.message(),
                    PeerHttp.retryAfter(response).orElse(QUOTA_BACKOFF), null);
        }
        if (reply.status() >= 500 || reply.status() == 408) {
            throw PeerHttp.failure(EbayTokens.PEER, reply.status(), PeerHttp.retryAfter(response).orElse(null), pathAndQuery + ": " + reply.message());
        }
        return reply;
    }

    private JsonNode call(HttpRequest.Builder request, String what, boolean asSeller) {
        HttpResponse<byte[]> response = exchange(request, asSeller);
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return body;
        }
        String message = errorMessage(body);
        if (status == 429) {
            throw new TransientFailure(EbayTokens.PEER, "quota exhausted on " + what + ": " + message,
                    PeerHttp.retryAfter(response).orElse(QUOTA_BACKOFF), null);
        }
        if (status == 401) {
            throw new PermanentFailure(EbayTokens.PEER, "eBay refused a freshly refreshed token on " + what + ": " + message);
        }
        throw PeerHttp.failure(EbayTokens.PEER, status, PeerHttp.retryAfter(response).orElse(null), what + ": " + message);
    }

    /** Sends with the current token; after a 401, once more with a fresh one. */
    private HttpResponse<byte[]> exchange(HttpRequest.Builder request, boolean asSeller) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        String token = asSeller ? tokens.userToken() : tokens.applicationToken();
        HttpResponse<byte[]> response = http.send(EbayTokens.PEER, request.copy().header("Authorization", "Bearer " + token).build());
        if (response.statusCode() == 401) {
            if (asSeller) {
                tokens.userTokenRejected(token);
            } else {
                tokens.applicationTokenRejected(token);
            }
            String fresh = asSeller ? tokens.userToken() : tokens.applicationToken();
            response = http.send(EbayTokens.PEER, request.copy().header("Authorization", "Bearer " + fresh).build());
        }
        return response;
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

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
import java.util.Set;

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

    /** An eBay answer whose status the caller interprets (e.g. 409 "already fulfilled"). */
    public record Answer(int status, JsonNode body, Optional<String> location) {
        /** Whether eBay's error envelope carries this errorId. */
        public boolean hasError(int errorId) {
            for (JsonNode error : body.path("errors")) {
                if (error.path("errorId").asInt() == errorId) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * POST a JSON body as the seller. 2xx and the {@code meaningful} statuses come back as an
     * {@link Answer}; any other failure is classified as {@link #get} does.
     */
    public Answer post(String path, Object body, Set<Integer> meaningful) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("unserialisable eBay request body for " + path, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<byte[]> response = send(request, true);
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 == 2 || meaningful.contains(response.statusCode())) {
            return new Answer(response.statusCode(), answer, response.headers().firstValue("Location"));
        }
        throw failure(response, answer, path);
    }

    private JsonNode call(HttpRequest.Builder request, String what, boolean asSeller) {
        HttpResponse<byte[]> response = send(request, asSeller);
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return body;
        }
        throw failure(response, body, what);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, boolean asSeller) {
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

    private static RuntimeException failure(HttpResponse<byte[]> response, JsonNode body, String what) {
        int status = response.statusCode();
        String message = errorMessage(body);
        if (status == 429) {
            return new TransientFailure(EbayTokens.PEER, "quota exhausted on " + what + ": " + message,
                    PeerHttp.retryAfter(response).orElse(QUOTA_BACKOFF), null);
        }
        if (status == 401) {
            return new PermanentFailure(EbayTokens.PEER, "eBay refused a freshly refreshed token on " + what + ": " + message);
        }
        return PeerHttp.failure(EbayTokens.PEER, status, PeerHttp.retryAfter(response).orElse(null), what + ": " + message);
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

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

    private final EbayTokens tokens;
    private final EbayBackoff backoff;
    private final PeerHttp http;
    private final ObjectMapper json;
    private final String baseUrl;

    EbayApi(EbayTokens tokens, EbayBackoff backoff, PeerHttp http, ObjectMapper json, MarketbridgeConfig config) {
        this.tokens = tokens;
        this.backoff = backoff;
        this.http = http;
        this.json = json;
        this.baseUrl = config.ebay().apiUrl().orElse(config.ebay().environment().apiUrl).toString().replaceAll("/$", "");
    }

    /** GET {@code pathAndQuery} (e.g. {@code /sell/fulfillment/v1/order?limit=200}) as the seller. */
    public JsonNode get(String pathAndQuery) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, true, false);
    }

    /** GET as the seller; empty when eBay answers 404 (e.g. getOffers for a SKU without an offer). */
    public Optional<JsonNode> find(String pathAndQuery) {
        return Optional.ofNullable(call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, true, true));
    }

    /** GET as the application (Taxonomy, notification public keys). */
    public JsonNode getAsApplication(String pathAndQuery) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET(), pathAndQuery, false, false);
    }

    /** The answer's body; null for a 404 when {@code notFoundIsEmpty}. */
    private JsonNode call(HttpRequest.Builder request, String what, boolean asSeller, boolean notFoundIsEmpty) {
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
        int status = response.statusCode();
        if (status == 404 && notFoundIsEmpty) {
            return null;
        }
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return body;
        }
        String message = errorMessage(body);
        if (status == 429) {
            throw new TransientFailure(EbayTokens.PEER, "quota exhausted on " + what + ": " + message,
                    backoff.hold(what, PeerHttp.retryAfter(response)), null);
        }
        if (status == 401) {
            throw new PermanentFailure(EbayTokens.PEER, "eBay refused a freshly refreshed token on " + what + ": " + message);
        }
        throw PeerHttp.failure(EbayTokens.PEER, status, PeerHttp.retryAfter(response).orElse(null), what + ": " + message);
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

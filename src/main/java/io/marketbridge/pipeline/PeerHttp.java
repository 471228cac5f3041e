package io.marketbridge.pipeline;

import io.marketbridge.config.MarketbridgeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The one way this service calls a peer over HTTP: timeouts, per-peer metrics, and the
 * transient/permanent classification of transport failures and status codes.
 */
@Singleton
public class PeerHttp {

    /** How this service names itself to peers, in every request's User-Agent. */
    public static final String USER_AGENT_PRODUCT = "Marketbridge";
    private static final String USER_AGENT = USER_AGENT_PRODUCT + "/1.0";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final MeterRegistry metrics;
    private final Alerts alerts;
    private final Duration slow;

    PeerHttp(MeterRegistry metrics, Alerts alerts, MarketbridgeConfig config) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.slow = config.polling().slowPeer();
    }

    /** Sends and returns any HTTP answer; a peer that cannot be reached is a {@link TransientFailure}. */
    public HttpResponse<byte[]> send(String peer, HttpRequest request) {
        return send(peer, request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The same with a body handler of the caller's choice, e.g. a stream for answers too large to hold. */
    public <T> HttpResponse<T> send(String peer, HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler) {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "io-error";
        try {
            HttpResponse<T> response = client.send(named(request), bodyHandler);
            outcome = statusClass(response.statusCode());
            return response;
        } catch (HttpTimeoutException e) {
            outcome = "timeout";
            throw new TransientFailure(peer, "no answer within " + request.timeout().map(Duration::toString).orElse("the timeout")
                    + " from " + request.uri(), e);
        } catch (IOException e) {
            throw new TransientFailure(peer, "cannot reach " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(peer, "interrupted calling " + request.uri(), e);
        } finally {
            long took = sample.stop(metrics.timer("marketbridge.peer.requests", "peer", peer, "outcome", outcome));
            if (took > slow.toNanos()) {
                alerts.raise("slow-peer:" + peer, peer + " took " + Duration.ofNanos(took).toMillis() + " ms to answer "
                        + request.method() + " " + request.uri().getPath() + " (alert above " + slow.toSeconds() + " s)");
            } else {
                alerts.clear("slow-peer:" + peer);
            }
        }
    }

    private static HttpRequest named(HttpRequest request) {
        return request.headers().firstValue("User-Agent").isPresent() ? request
                : HttpRequest.newBuilder(request, (name, value) -> true).header("User-Agent", USER_AGENT).build();
    }

    /** Throws the classified failure for a non-2xx answer. */
    public static void requireSuccess(String peer, HttpResponse<byte[]> response, String detail) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        throw failure(peer, status, retryAfter(response).orElse(null), detail);
    }

    /** 408, 429 and 5xx are worth retrying; any other 4xx will fail again the same way. */
    public static SyncFailure failure(String peer, int status, Duration retryAfter, String detail) {
        String message = "HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail);
        return status == 408 || status == 429 || status >= 500
                ? new TransientFailure(peer, message, retryAfter, null)
                : PermanentFailure.refused(peer, status, message);
    }

    /** Retry-After in seconds or as an HTTP date. */
    public static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration wait = Duration.between(ZonedDateTime.now(), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (RuntimeException unparseable) {
                    return Optional.empty();
                }
            }
        });
    }

    private static String statusClass(int status) {
        return status < 300 ? "2xx" : status == 429 ? "429" : status == 401 ? "401" : status < 500 ? "4xx" : "5xx";
    }
}

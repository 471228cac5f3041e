package io.marketbridge.pipeline;

import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.contract.EbayContracts;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * In the tests, every call to eBay goes through here: each request the eBay client sends under one
 * of eBay's published REST contracts, and the simulated eBay's answer to it, are checked against
 * the operation they name ({@link EbayContracts}); what does not conform is recorded, for
 * {@link #violations()} to be asserted empty. Only the test build has this bean.
 */
@Alternative
@Priority(1)
@Singleton
public class ContractCheckedPeerHttp extends PeerHttp {

    /** The peer name the eBay client calls with (EbayTokens.PEER). */
    private static final String EBAY = "ebay";

    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile int checked;

    ContractCheckedPeerHttp(MeterRegistry metrics, Alerts alerts, MarketbridgeConfig config) {
        super(metrics, alerts, config);
    }

    /** What eBay's contracts refused since the last {@link #clear()}. */
    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Exchanges checked against a contract since the service started. */
    public int checked() {
        return checked;
    }

    public void clear() {
        violations.clear();
    }

    @Override
    public <T> HttpResponse<T> send(String peer, HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler) {
        if (!EBAY.equals(peer) || EbayContracts.basePathOf(request.uri().getRawPath()).isEmpty()) {
            return super.send(peer, request, bodyHandler);
        }
        HttpResponse<byte[]> response = super.send(peer, request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            violations.addAll(EbayContracts.violations(new EbayContracts.Exchange(request.method(), request.uri(),
                    request.headers().map(), bodyOf(request), response.statusCode(), response.headers().map(), response.body())));
        } catch (RuntimeException e) {
            violations.add(request.method() + " " + request.uri() + ": the contract check failed: " + e);
        }
        checked++;
        return as(response, bodyHandler);
    }

    /** The bytes a request's body publisher gives (the eBay client's bodies are byte arrays, replayable). */
    private static byte[] bodyOf(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable throwable) {
                body.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                body.complete(bytes.toByteArray());
            }
        });
        try {
            return body.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the request body of " + request.uri(), e);
        }
    }

    /** The buffered answer handed through the caller's own body handler, as if it had read it. */
    private static <T> HttpResponse<T> as(HttpResponse<byte[]> response, HttpResponse.BodyHandler<T> bodyHandler) {
        HttpResponse.BodySubscriber<T> subscriber = bodyHandler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return response.statusCode();
            }

            @Override
            public HttpHeaders headers() {
                return response.headers();
            }

            @Override
            public HttpClient.Version version() {
                return response.version();
            }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                // everything is handed over at once below
            }

            @Override
            public void cancel() {
                // nothing to release: the answer is in memory
            }
        });
        if (response.body().length > 0) {
            subscriber.onNext(List.of(ByteBuffer.wrap(response.body())));
        }
        subscriber.onComplete();
        T body = subscriber.getBody().toCompletableFuture().join();
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return response.statusCode();
            }

            @Override
            public HttpRequest request() {
                return response.request();
            }

            @Override
            public Optional<HttpResponse<T>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return response.headers();
            }

            @Override
            public T body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return response.sslSession();
            }

            @Override
            public URI uri() {
                return response.uri();
            }

            @Override
            public HttpClient.Version version() {
                return response.version();
            }
        };
    }
}

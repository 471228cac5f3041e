package io.marketbridge.ebay.account;

import io.marketbridge.admin.PeerCheck;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.SyncFailure;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * eBay: with a connected seller, a user token and one cheap Fulfillment call with it; without one
 * (notifications only), any HTTP answer from the API host proves it reachable.
 */
@Singleton
public class EbayConnectionCheck implements PeerCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final EbayConfig config;
    private final Instance<EbayApi> ebay;
    private final Instance<EbayTokens> tokens;
    private final PeerHttp http;

    EbayConnectionCheck(EbayConfig config, Instance<EbayApi> ebay, Instance<EbayTokens> tokens, PeerHttp http) {
        this.config = config;
        this.ebay = ebay;
        this.tokens = tokens;
        this.http = http;
    }

    @Override
    public String peer() {
        return "ebay";
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Connection check() {
        if (tokens.get().sellerConnected()) {
            return Connection.of(peer(), "rest", () -> {
                ebay.get().get("/sell/fulfillment/v1/order?limit=1");
                return new Answer("sell/fulfillment/v1", null, null);
            });
        }
        long start = System.nanoTime();
        try {
            var url = config.apiUrl().orElse(config.environment().apiUrl);
            int status = http.send(peer(), HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build()).statusCode();
            return new Connection(peer(), true, null, null, millisSince(start), status >= 500 ? "HTTP " + status : null);
        } catch (SyncFailure e) {
            return new Connection(peer(), false, null, null, millisSince(start), e.getMessage());
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

package io.marketbridge.ebay.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * eBay's daily call budgets, read from the Developer Analytics API (the application's
 * {@code rate_limit} and the seller's {@code user_rate_limit}): remaining calls per API as metrics;
 * above 80 % used a warning in health detail and the log, and the pollers slow down.
 */
@Singleton
@Named("ebayQuotas")
public class EbayQuotas {

    private static final Logger LOG = Logger.getLogger(EbayQuotas.class);
    private static final double WARN_AT = 0.8;

    /** One budget: {@code kind} is application or user. */
    @RegisterForReflection
    public record Budget(String kind, String api, String resource, long count, long limit, long remaining, String reset) {
        double used() {
            return limit <= 0 ? 0 : (double) count / limit;
        }
    }

    private final EbayApi ebay;
    private final EbayBackoff backoff;
    private final EbayTokens tokens;
    private final EbayConfig config;
    private final MeterRegistry metrics;
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();
    /** Per poll: whether its next turn is skipped while near the budget. */
    private final Map<String, AtomicBoolean> skipNextPoll = new ConcurrentHashMap<>();

    EbayQuotas(EbayApi ebay, EbayBackoff backoff, EbayTokens tokens, EbayConfig config, MeterRegistry metrics) {
        this.ebay = ebay;
        this.backoff = backoff;
        this.tokens = tokens;
        this.config = config;
        this.metrics = metrics;
    }

    /** Reads both budgets (the seller's only when a seller is connected). */
    public void refresh() {
        if (!config.enabled()) {
            return;
        }
        read("application", ebay.getAsApplication("/developer/analytics/v1_beta/rate_limit/?api_context=sell"));
        if (tokens.sellerConnected()) {
            read("user", ebay.get("/developer/analytics/v1_beta/user_rate_limit/?api_context=sell"));
        }
        Optional<String> warning = warning();
        if (warning.isPresent() && warned.compareAndSet(false, true)) {
            LOG.warn(warning.get());
        } else if (warning.isEmpty()) {
            warned.set(false);
        }
    }

    private void read(String kind, JsonNode answer) {
        for (JsonNode api : answer.path("rateLimits")) {
            for (JsonNode resource : api.path("resources")) {
                for (JsonNode rate : resource.path("rates")) {
                    Budget budget = new Budget(kind, api.path("apiName").asText(), resource.path("name").asText(),
                            rate.path("count").asLong(), rate.path("limit").asLong(), rate.path("remaining").asLong(),
                            rate.path("reset").asText(null));
                    backoff.budgetRead(budget.api(), budget.reset());
                    String key = kind + "/" + budget.api() + "/" + budget.resource();
                    if (budgets.put(key, budget) == null) {
                        List<io.micrometer.core.instrument.Tag> tags = List.of(io.micrometer.core.instrument.Tag.of("kind", kind),
                                io.micrometer.core.instrument.Tag.of("api", budget.api()),
                                io.micrometer.core.instrument.Tag.of("resource", budget.resource()));
                        Gauge.builder("marketbridge.ebay.quota.remaining", budgets, b -> b.get(key).remaining())
                                .description("eBay calls left in the current window").tags(tags).register(metrics);
                        Gauge.builder("marketbridge.ebay.quota.used.ratio", budgets, b -> b.get(key).used())
                                .description("Share of the eBay call budget used").tags(tags).register(metrics);
                    }
                }
            }
        }
    }

    /** What is above 80 % used or exhausted, for health detail and the log. */
    public Optional<String> warning() {
        List<String> near = budgets.values().stream().filter(b -> b.used() >= WARN_AT)
                .map(b -> String.format("%s %s/%s %.0f%% used (%d of %d, resets %s)", b.kind(), b.api(), b.resource(),
                        100 * b.used(), b.count(), b.limit(), b.reset()))
                .sorted().toList();
        Optional<String> near80 = near.isEmpty() ? Optional.empty()
                : Optional.of("eBay call budget above 80 %: " + String.join("; ", near) + ". Pollers run at half their rate.");
        Optional<String> exhausted = backoff.describe();
        return near80.isEmpty() ? exhausted
                : Optional.of(near80.get() + exhausted.map(held -> " " + held).orElse(""));
    }

    /**
     * Whether a poll of {@code apiPath} may run now: not while that API's quota is exhausted (it
     * waits for the reset), and only every other time while a budget is above 80 % used.
     */
    public boolean allowsPoll(String poll, String apiPath) {
        if (backoff.holding(apiPath)) {
            return false;
        }
        AtomicBoolean skipNext = skipNextPoll.computeIfAbsent(poll, p -> new AtomicBoolean());
        if (warning().isEmpty()) {
            skipNext.set(false);
            return true;
        }
        return !skipNext.getAndSet(!skipNext.get());
    }
}

package io.marketbridge.ebay.api;

import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exhausted eBay quota (HTTP 429) is not worth quick retries: calls to that API wait until its
 * budget resets (known from the Analytics API), or Retry-After when eBay sends one. Pollers skip
 * their turn meanwhile and resume from their cursors.
 */
@Singleton
public class EbayBackoff {

    private static final Logger LOG = Logger.getLogger(EbayBackoff.class);
    /** When no reset is known yet: long enough not to hammer eBay, short enough to find out. */
    static final Duration UNKNOWN_RESET = Duration.ofMinutes(15);

    /** Keyed by the API's name in its path: fulfillment, inventory, taxonomy... */
    private final Map<String, Instant> resets = new ConcurrentHashMap<>();
    private final Map<String, Instant> holds = new ConcurrentHashMap<>();

    /** The reset time of a budget read from the Analytics API ({@code apiName} such as sell.fulfillment). */
    void budgetRead(String apiName, String reset) {
        if (reset == null || reset.isBlank()) {
            return;
        }
        try {
            String api = apiName.substring(apiName.lastIndexOf('.') + 1).toLowerCase();
            resets.put(api, Instant.parse(reset));
        } catch (RuntimeException unreadable) {
            LOG.debugf("unreadable reset %s for %s", reset, apiName);
        }
    }

    /** eBay answered 429 on {@code path}: hold that API until its reset; returns how long. */
    Duration hold(String path, Optional<Duration> retryAfter) {
        String api = api(path);
        Instant now = Instant.now();
        Instant reset = resets.get(api);
        Instant until = retryAfter.map(now::plus)
                .orElse(reset != null && reset.isAfter(now) ? reset : now.plus(UNKNOWN_RESET));
        holds.merge(api, until, (a, b) -> a.isAfter(b) ? a : b);
        LOG.warnf("eBay's %s call quota is exhausted (HTTP 429): calls to it wait until %s", api, until);
        return Duration.between(now, until);
    }

    /** True while calls to the API of {@code path} wait for the quota to reset. */
    public boolean holding(String path) {
        Instant until = holds.get(api(path));
        return until != null && until.isAfter(Instant.now());
    }

    /** How long calls to the API of {@code path} still wait for its quota to reset; empty when they need not. */
    public Optional<Duration> heldFor(String path) {
        Instant until = holds.get(api(path));
        Duration left = until == null ? Duration.ZERO : Duration.between(Instant.now(), until);
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** What is on hold, for health detail. */
    Optional<String> describe() {
        Instant now = Instant.now();
        String held = holds.entrySet().stream().filter(e -> e.getValue().isAfter(now)).map(e -> e.getKey() + " until " + e.getValue())
                .sorted().reduce((a, b) -> a + ", " + b).orElse("");
        return held.isEmpty() ? Optional.empty() : Optional.of("eBay quota exhausted (429), calls wait: " + held);
    }

    /** {@code /sell/fulfillment/v1/order?...} → fulfillment. */
    static String api(String path) {
        String[] parts = path.split("[/?]");
        return (parts.length > 2 ? parts[2] : path).toLowerCase();
    }
}

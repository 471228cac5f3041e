package io.marketbridge.ebay.account;

import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.api.EbayQuotas;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down, with the operator's next step, once eBay has rejected the seller's authorization; a warning
 * in its detail when eBay's call budget is above 80 % used.
 */
@Readiness
@Singleton
public class EbayAuthorizationReadiness implements HealthCheck {

    private final EbayConfig config;
    private final EbayTokens tokens;
    private final EbayQuotas quotas;

    EbayAuthorizationReadiness(EbayConfig config, EbayTokens tokens, EbayQuotas quotas) {
        this.config = config;
        this.tokens = tokens;
        this.quotas = quotas;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("ebay-authorization");
        if (!config.enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        if (!tokens.sellerConnected()) {
            return builder.up().withData("seller", "not connected: notifications only").build();
        }
        quotas.warning().ifPresent(warning -> builder.withData("warning", warning)); // a warning, not a reason to stop
        return tokens.pausedBecause().map(reason -> builder.down().withData("error", reason).build())
                .orElseGet(() -> builder.up().build());
    }
}

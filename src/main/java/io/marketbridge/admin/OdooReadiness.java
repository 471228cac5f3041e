package io.marketbridge.admin;

import io.marketbridge.config.MarketbridgeConfig;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Odoo, the system of record, answers through the configured transport. */
@Readiness
@Singleton
public class OdooReadiness implements HealthCheck {

    private final MarketbridgeConfig config;
    private final ConnectionTest connections;

    OdooReadiness(MarketbridgeConfig config, ConnectionTest connections) {
        this.config = config;
        this.connections = connections;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("odoo");
        if (!config.odoo().enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        ConnectionTest.Connection odoo = connections.odoo();
        builder.withData("latencyMs", odoo.latencyMs());
        if (odoo.error() != null) {
            return builder.down().withData("error", odoo.error()).build();
        }
        return builder.up().withData("version", odoo.version()).withData("api", odoo.api()).build();
    }
}

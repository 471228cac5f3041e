package io.marketbridge.odoo;

import io.marketbridge.admin.PeerCheck.Connection;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Odoo, the system of record, answers through the configured transport. */
@Readiness
@Singleton
public class OdooReadiness implements HealthCheck {

    private final OdooConnectionCheck connection;

    OdooReadiness(OdooConnectionCheck connection) {
        this.connection = connection;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("odoo");
        if (!connection.enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        Connection odoo = connection.check();
        builder.withData("latencyMs", odoo.latencyMs());
        if (odoo.error() != null) {
            return builder.down().withData("error", odoo.error()).build();
        }
        return builder.up().withData("version", odoo.version()).withData("api", odoo.api()).build();
    }
}

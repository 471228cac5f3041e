package io.marketbridge.admin;

import io.marketbridge.pipeline.Alerts;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Active alerts in health detail. They stay UP: a failing poll or a slow peer is a reason for an
 * operator to look, not for Kubernetes to stop sending this pod its webhooks.
 */
@Readiness
@Singleton
public class AlertsReadiness implements HealthCheck {

    private final Alerts alerts;

    AlertsReadiness(Alerts alerts) {
        this.alerts = alerts;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("alerts").up();
        alerts.current().forEach((key, alert) -> builder.withData(key, alert.message() + " (since " + alert.since() + ")"));
        return builder.build();
    }
}

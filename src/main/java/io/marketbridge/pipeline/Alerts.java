package io.marketbridge.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conditions an operator should look at while the service keeps running (a poll failing again and
 * again, a slow peer, a burst of changes): logged when they start and end, a gauge per alert
 * ({@code marketbridge_alert{alert}} 1 while active), listed in health detail and the admin status.
 */
@Singleton
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    @RegisterForReflection
    public record Alert(String message, Instant since) {
    }

    private final Map<String, Alert> active = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    Alerts(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Raises (or updates) the alert {@code key}; logged once when it starts. */
    public void raise(String key, String message) {
        registered.computeIfAbsent(key, k -> {
            Gauge.builder("marketbridge.alert", active, a -> a.containsKey(k) ? 1 : 0).tag("alert", k)
                    .description("1 while the alert is active").register(metrics);
            return true;
        });
        Alert previous = active.put(key, new Alert(message, active.containsKey(key) ? active.get(key).since() : Instant.now()));
        if (previous == null) {
            LOG.errorf("ALERT %s: %s", key, message);
        }
    }

    public void clear(String key) {
        if (active.remove(key) != null) {
            LOG.infof("alert %s cleared", key);
        }
    }

    public Map<String, Alert> current() {
        return new TreeMap<>(active);
    }
}

package io.marketbridge.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stops start-up with one message naming every missing setting of every enabled peer, so an operator
 * fixes the configuration once instead of discovering it flow by flow. Each peer checks its own
 * settings ({@link SettingsCheck}); the admin login is the service's. Beans that need settings call
 * {@link #verify} before using them: Camel creates route beans before start-up observers run.
 */
@Singleton
public class RequiredSettings {

    private final Instance<SettingsCheck> peers;
    private final MarketbridgeConfig config;

    RequiredSettings(Instance<SettingsCheck> peers, MarketbridgeConfig config) {
        this.peers = peers;
        this.config = config;
    }

    void check(@Observes StartupEvent event) {
        verify();
    }

    public void verify() {
        List<SettingsCheck> checks = new ArrayList<>();
        peers.forEach(checks::add);
        checks.sort(Comparator.comparing(check -> check.getClass().getName())); // one order every start: the peers' own
        checks.add(() -> {
            List<String> missing = new ArrayList<>();
            if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
                SettingsCheck.require(missing, "marketbridge.admin.password", config.admin().password());
            }
            return missing;
        });
        verify(checks);
    }

    /** Throws naming every missing setting the checks report, else every invalid one; passes when there is none. */
    public static void verify(List<? extends SettingsCheck> checks) {
        List<String> missing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (SettingsCheck check : checks) {
            missing.addAll(check.missing());
            invalid.addAll(check.invalid());
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
        if (!invalid.isEmpty()) {
            throw new IllegalStateException("Marketbridge cannot start: invalid setting(s) " + String.join("; ", invalid) + ".");
        }
    }

    /** Names the properties and their environment variables; never their values. */
    public static class MissingSettingsException extends IllegalStateException {
        public MissingSettingsException(List<String> missing) {
            super("Marketbridge cannot start: missing required setting(s) " + String.join(", ", missing)
                    + ". Set them in application.properties or as environment variables ("
                    + String.join(", ", missing.stream().map(MissingSettingsException::toEnv).toList()) + ").");
        }

        private static String toEnv(String property) {
            return property.replaceAll(" .*", "").replaceAll("[.-]", "_").toUpperCase();
        }
    }
}

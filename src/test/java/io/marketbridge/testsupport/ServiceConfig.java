package io.marketbridge.testsupport;

import io.marketbridge.cartona.CartonaConfig;
import io.marketbridge.cluster.LeaderElectionSettings;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.medusa.MedusaConfig;
import io.marketbridge.odoo.OdooConfig;
import io.marketbridge.sandbox.SandboxSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/** The service's settings as start-up reads them, for checks a running service cannot show (a refused start-up). */
public final class ServiceConfig {

    private ServiceConfig() {
    }

    /**
     * The service's own application.properties in the test profile, with the simulators' settings
     * beside it (as in the test build) and these overrides on top.
     */
    public static MarketbridgeConfig mapping(Map<String, String> overrides) {
        return mapping(MarketbridgeConfig.class, overrides);
    }

    /** One of the service's mappings (a peer's own settings, {@code OdooConfig}), read the same way. */
    public static <T> T mapping(Class<T> type, Map<String, String> overrides) {
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withProfile("test")
                    .withSources(new PropertiesConfigSource(ServiceConfig.class.getResource("/application.properties"), 250))
                    .withSources(new PropertiesConfigSource(
                            ServiceConfig.class.getResource("/META-INF/microprofile-config.properties"), 100))
                    .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                    .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "30s" style
                    .withMapping(MarketbridgeConfig.class)
                    .withMapping(OdooConfig.class)
                    .withMapping(EbayConfig.class)
                    .withMapping(CartonaConfig.class)
                    .withMapping(MedusaConfig.class)
                    .withMapping(SandboxSettings.class)
                    .withMapping(LeaderElectionSettings.class)
                    .build();
            return config.getConfigMapping(type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.marketbridge.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An enabled Medusa channel without its URL, secret key or stock location stops start-up, naming each. */
class MedusaRequiredSettingsTest {

    @Test
    void anEnabledMedusaNeedsItsUrlKeyAndStockLocation() throws IOException {
        List<String> missing = RequiredSettings.missing(config(Map.of("marketbridge.medusa.enabled", "true",
                "marketbridge.medusa.url", "", "marketbridge.medusa.api-key", "", "marketbridge.medusa.stock-location-id", "")),
                LaunchMode.NORMAL);

        assertEquals(List.of("marketbridge.medusa.url", "marketbridge.medusa.api-key", "marketbridge.medusa.stock-location-id"), missing);
        String message = new RequiredSettings.MissingSettingsException(missing).getMessage();
        assertTrue(message.contains("MARKETBRIDGE_MEDUSA_URL"), message);
    }

    @Test
    void theSandboxProfilesConfigureMedusaCompletely() throws IOException {
        MarketbridgeConfig config = config(Map.of());
        assertEquals(List.of(), RequiredSettings.missing(config, LaunchMode.TEST));
        assertTrue(config.medusa().enabled());
        assertEquals("sloc_sandbox", config.medusa().stockLocationId().orElseThrow());
        assertEquals("USD", config.medusa().currency(), "Odoo's company currency by default");
        assertEquals(50, config.medusa().batchSize());
    }

    /** The service's own application.properties in the test profile, with these overrides on top. */
    private static MarketbridgeConfig config(Map<String, String> overrides) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("test")
                .withSources(new PropertiesConfigSource(MedusaRequiredSettingsTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "30s" style
                .withMapping(MarketbridgeConfig.class)
                .build();
        return config.getConfigMapping(MarketbridgeConfig.class);
    }
}

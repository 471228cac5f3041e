package io.marketbridge.config;

import io.marketbridge.testsupport.ServiceConfig;
import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An enabled Medusa channel without its URL, secret key or stock location stops start-up, naming each. */
class MedusaRequiredSettingsTest {

    @Test
    void anEnabledMedusaNeedsItsUrlKeyAndStockLocation() {
        List<String> missing = RequiredSettings.missing(config(Map.of("marketbridge.medusa.enabled", "true",
                "marketbridge.medusa.url", "", "marketbridge.medusa.api-key", "", "marketbridge.medusa.stock-location-id", "")),
                LaunchMode.NORMAL);

        assertEquals(List.of("marketbridge.medusa.url", "marketbridge.medusa.api-key", "marketbridge.medusa.stock-location-id"), missing);
        String message = new RequiredSettings.MissingSettingsException(missing).getMessage();
        assertTrue(message.contains("MARKETBRIDGE_MEDUSA_URL"), message);
    }

    @Test
    void theSandboxProfilesConfigureMedusaCompletely() {
        MarketbridgeConfig config = config(Map.of());
        assertEquals(List.of(), RequiredSettings.missing(config, LaunchMode.TEST));
        assertTrue(config.medusa().enabled());
        assertEquals("sloc_sandbox", config.medusa().stockLocationId().orElseThrow());
        assertEquals("USD", config.medusa().currency(), "Odoo's company currency by default");
        assertEquals(50, config.medusa().batchSize());
    }

    private static MarketbridgeConfig config(Map<String, String> overrides) {
        return ServiceConfig.mapping(overrides);
    }
}

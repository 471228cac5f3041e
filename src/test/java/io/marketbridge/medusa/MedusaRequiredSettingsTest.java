package io.marketbridge.medusa;

import io.marketbridge.config.RequiredSettings;
import io.marketbridge.testsupport.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An enabled Medusa channel without its URL, secret key or stock location stops start-up, naming each. */
class MedusaRequiredSettingsTest {

    @Test
    void anEnabledMedusaNeedsItsUrlKeyAndStockLocation() {
        List<String> missing = new MedusaRequiredSettings(config(Map.of("marketbridge.medusa.enabled", "true",
                "marketbridge.medusa.url", "", "marketbridge.medusa.api-key", "", "marketbridge.medusa.stock-location-id", ""))).missing();

        assertEquals(List.of("marketbridge.medusa.url", "marketbridge.medusa.api-key", "marketbridge.medusa.stock-location-id"), missing);
        String message = new RequiredSettings.MissingSettingsException(missing).getMessage();
        assertTrue(message.contains("MARKETBRIDGE_MEDUSA_URL"), message);
    }

    @Test
    void theSandboxProfilesConfigureMedusaCompletely() {
        MedusaConfig config = config(Map.of());
        assertEquals(List.of(), new MedusaRequiredSettings(config).missing());
        assertTrue(config.enabled());
        assertEquals("sloc_sandbox", config.stockLocationId().orElseThrow());
        assertEquals("USD", config.currency(), "Odoo's company currency by default");
        assertEquals(50, config.batchSize());
    }

    private static MedusaConfig config(Map<String, String> overrides) {
        return ServiceConfig.mapping(MedusaConfig.class, overrides);
    }
}

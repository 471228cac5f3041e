package io.marketbridge.medusa;

import io.marketbridge.config.SettingsCheck;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** Medusa's address, its Admin API key and the stock location stock is kept at, when Medusa is enabled. */
@Singleton
public class MedusaRequiredSettings implements SettingsCheck {

    private final MedusaConfig medusa;

    public MedusaRequiredSettings(MedusaConfig medusa) {
        this.medusa = medusa;
    }

    @Override
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (medusa.enabled()) {
            SettingsCheck.require(missing, "marketbridge.medusa.url", medusa.url());
            SettingsCheck.require(missing, "marketbridge.medusa.api-key", medusa.apiKey());
            SettingsCheck.require(missing, "marketbridge.medusa.stock-location-id", medusa.stockLocationId());
        }
        return missing;
    }
}

package io.marketbridge.odoo;

import io.marketbridge.config.SettingsCheck;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** Odoo's connection settings, when Odoo is enabled: where, which database, who, and a key or password. */
@Singleton
public class OdooRequiredSettings implements SettingsCheck {

    private final OdooConfig odoo;

    public OdooRequiredSettings(OdooConfig odoo) {
        this.odoo = odoo;
    }

    @Override
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (odoo.enabled()) {
            SettingsCheck.require(missing, "marketbridge.odoo.url", odoo.url());
            SettingsCheck.require(missing, "marketbridge.odoo.database", odoo.database());
            SettingsCheck.require(missing, "marketbridge.odoo.username", odoo.username());
            if (odoo.apiKey().isEmpty() && odoo.password().isEmpty()) {
                missing.add("marketbridge.odoo.api-key (or marketbridge.odoo.password)");
            }
        }
        return missing;
    }
}

package io.marketbridge.ebay;

import io.marketbridge.config.SettingsCheck;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** The eBay application's keys, when eBay is enabled (the seller's token comes later, through the consent flow). */
@Singleton
public class EbayRequiredSettings implements SettingsCheck {

    private final EbayConfig ebay;

    public EbayRequiredSettings(EbayConfig ebay) {
        this.ebay = ebay;
    }

    @Override
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (ebay.enabled()) {
            SettingsCheck.require(missing, "marketbridge.ebay.app-id", ebay.appId());
            SettingsCheck.require(missing, "marketbridge.ebay.dev-id", ebay.devId());
            SettingsCheck.require(missing, "marketbridge.ebay.cert-id", ebay.certId());
        }
        return missing;
    }
}

package io.marketbridge.cartona;

import io.marketbridge.config.SettingsCheck;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cartona's address and the main account's token, when Cartona is enabled; a batch size Cartona takes, account
 * names it can tell apart, and a webhook secret per account.
 */
@Singleton
public class CartonaRequiredSettings implements SettingsCheck {

    private final CartonaConfig cartona;

    public CartonaRequiredSettings(CartonaConfig cartona) {
        this.cartona = cartona;
    }

    @Override
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (cartona.enabled()) {
            SettingsCheck.require(missing, "marketbridge.cartona.url", cartona.url());
            SettingsCheck.require(missing, "marketbridge.cartona.token", cartona.token());
        }
        return missing;
    }

    @Override
    public List<String> invalid() {
        List<String> invalid = new ArrayList<>();
        int batch = cartona.batchSize();
        if (batch < 1 || batch > CartonaConfig.MAX_BATCH) {
            invalid.add("marketbridge.cartona.batch-size is " + batch + ", but Cartona takes 1 to " + CartonaConfig.MAX_BATCH
                    + " products per bulk-update (MARKETBRIDGE_CARTONA_BATCH_SIZE)");
        }
        Set<String> secrets = new HashSet<>();
        cartona.webhookSecret().ifPresent(secrets::add);
        new TreeMap<>(cartona.accounts()).forEach((name, account) -> {
            if (name.equals(cartona.accountName()) || !name.matches("[A-Za-z0-9_-]{1,40}")) {
                invalid.add("marketbridge.cartona.accounts." + name + " is not a usable account name (letters, digits, _ and -, other than"
                        + " marketbridge.cartona.account-name '" + cartona.accountName() + "')");
            }
            account.webhookSecret().filter(secret -> !secrets.add(secret)).ifPresent(secret -> invalid.add(
                    "marketbridge.cartona.accounts." + name + ".webhook-secret is another account's too: a webhook must name one account"));
        });
        return invalid;
    }
}

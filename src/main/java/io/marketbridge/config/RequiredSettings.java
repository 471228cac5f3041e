package io.marketbridge.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops start-up with one message naming every missing setting of an enabled peer, so an operator
 * fixes the configuration once instead of discovering it flow by flow. Beans that need settings
 * call {@link #verify} before using them: Camel creates route beans before start-up observers run.
 */
@Singleton
public class RequiredSettings {

    void check(@Observes StartupEvent event, MarketbridgeConfig config) {
        verify(config);
    }

    public static void verify(MarketbridgeConfig config) {
        List<String> missing = missing(config, LaunchMode.current());
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
        List<String> invalid = invalid(config);
        if (!invalid.isEmpty()) {
            throw new IllegalStateException("Marketbridge cannot start: invalid setting(s) " + String.join("; ", invalid) + ".");
        }
    }

    /** Settings that are present but outside what the peer accepts. */
    static List<String> invalid(MarketbridgeConfig config) {
        List<String> invalid = new ArrayList<>();
        int cartonaBatch = config.cartona().batchSize();
        if (cartonaBatch < 1 || cartonaBatch > MarketbridgeConfig.Cartona.MAX_BATCH) {
            invalid.add("marketbridge.cartona.batch-size is " + cartonaBatch + ", but Cartona takes 1 to " + MarketbridgeConfig.Cartona.MAX_BATCH
                    + " products per bulk-update (MARKETBRIDGE_CARTONA_BATCH_SIZE)");
        }
        var cartona = config.cartona();
        java.util.Set<String> secrets = new java.util.HashSet<>();
        cartona.webhookSecret().ifPresent(secrets::add);
        new java.util.TreeMap<>(cartona.accounts()).forEach((name, account) -> {
            if (name.equals(cartona.accountName()) || !name.matches("[A-Za-z0-9_-]{1,40}")) {
                invalid.add("marketbridge.cartona.accounts." + name + " is not a usable account name (letters, digits, _ and -, other than"
                        + " marketbridge.cartona.account-name '" + cartona.accountName() + "')");
            }
            account.webhookSecret().filter(secret -> !secrets.add(secret)).ifPresent(secret -> invalid.add(
                    "marketbridge.cartona.accounts." + name + ".webhook-secret is another account's too: a webhook must name one account"));
        });
        return invalid;
    }

    static List<String> missing(MarketbridgeConfig config, LaunchMode mode) {
        List<String> missing = new ArrayList<>();
        var odoo = config.odoo();
        if (odoo.enabled()) {
            require(missing, "marketbridge.odoo.url", odoo.url());
            require(missing, "marketbridge.odoo.database", odoo.database());
            require(missing, "marketbridge.odoo.username", odoo.username());
            if (odoo.apiKey().isEmpty() && odoo.password().isEmpty()) {
                missing.add("marketbridge.odoo.api-key (or marketbridge.odoo.password)");
            }
        }
        var ebay = config.ebay();
        if (ebay.enabled()) {
            require(missing, "marketbridge.ebay.app-id", ebay.appId());
            require(missing, "marketbridge.ebay.dev-id", ebay.devId());
            require(missing, "marketbridge.ebay.cert-id", ebay.certId());
        }
        var cartona = config.cartona();
        if (cartona.enabled()) {
            require(missing, "marketbridge.cartona.url", cartona.url());
            require(missing, "marketbridge.cartona.token", cartona.token());
        }
        var medusa = config.medusa();
        if (medusa.enabled()) {
            require(missing, "marketbridge.medusa.url", medusa.url());
            require(missing, "marketbridge.medusa.api-key", medusa.apiKey());
            require(missing, "marketbridge.medusa.stock-location-id", medusa.stockLocationId());
        }
        if (mode != LaunchMode.DEVELOPMENT) {
            require(missing, "marketbridge.admin.password", config.admin().password());
        }
        return missing;
    }

    private static void require(List<String> missing, String property, Optional<?> value) {
        if (value.isEmpty() || value.get().toString().isBlank()) {
            missing.add(property);
        }
    }

    /** Names the properties and their environment variables; never their values. */
    public static class MissingSettingsException extends IllegalStateException {
        MissingSettingsException(List<String> missing) {
            super("Marketbridge cannot start: missing required setting(s) " + String.join(", ", missing)
                    + ". Set them in application.properties or as environment variables (e.g. "
                    + toEnv(missing.get(0)) + ").");
        }

        private static String toEnv(String property) {
            return property.replaceAll(" .*", "").replaceAll("[.-]", "_").toUpperCase();
        }
    }
}

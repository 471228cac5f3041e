package io.marketbridge.cartona;

import io.marketbridge.testsupport.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several Cartona supplier accounts: each must be told apart by its name and by its webhook secret. */
class CartonaAccountSettingsTest {

    @Test
    void theSandboxHasTwoAccountsToldApart() {
        CartonaConfig config = ServiceConfig.mapping(CartonaConfig.class, Map.of());
        assertEquals("main", config.accountName());
        assertEquals(List.of("north"), List.copyOf(config.accounts().keySet()));
        assertEquals(List.of(), new CartonaRequiredSettings(config).invalid());
    }

    @Test
    void aSharedWebhookSecretOrAnAccountNamedLikeTheMainOneIsRefusedAtStartUp() {
        CartonaConfig config = ServiceConfig.mapping(CartonaConfig.class, Map.of(
                "marketbridge.cartona.accounts.north.webhook-secret", "sandbox-cartona-webhook-main",
                "marketbridge.cartona.accounts.main.token", "t"));
        assertEquals(List.of(
                "marketbridge.cartona.accounts.main is not a usable account name (letters, digits, _ and -, other than"
                        + " marketbridge.cartona.account-name 'main')",
                "marketbridge.cartona.accounts.north.webhook-secret is another account's too: a webhook must name one account"),
                new CartonaRequiredSettings(config).invalid());
    }
}

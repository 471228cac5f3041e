package io.marketbridge.channels;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.marketbridge.channels.ChannelFixtures.cartonaPrice;
import static io.marketbridge.channels.ChannelFixtures.catalog;
import static io.marketbridge.channels.ChannelFixtures.odooPrice;
import static org.awaitility.Awaitility.await;

/**
 * A fresh install: a price changed in Odoo after the service started but before its first look for
 * changes still reaches the channels (the first poll follows changes from the service's first start,
 * not from Odoo's newest write_date at the time of that poll).
 */
@QuarkusTest
@TestProfile(ChannelFirstStartTest.FreshInstall.class)
class ChannelFirstStartTest {

    /** Its own empty database (no cursor yet); the first poll 6 s after start, then every 2 s. */
    public static class FreshInstall implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.h2.jdbc.url", "jdbc:h2:mem:first-start;DB_CLOSE_DELAY=-1",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.inventory.poll-period", "1h",
                    "marketbridge.channels.poll-period", "2s",
                    "marketbridge.channels.poll-delay", "6s");
        }
    }

    @Test
    void aPriceChangedRightAfterStartReachesTheChannels() {
        ChannelFixtures.Catalog catalog = catalog(2, "40.00", 3);
        odooPrice(catalog.templateId(), "44.00");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> catalog.skus().stream().allMatch(sku -> "44.00".equals(cartonaPrice(sku))));
    }
}

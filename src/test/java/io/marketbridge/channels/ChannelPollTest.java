package io.marketbridge.channels;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.marketbridge.channels.ChannelFixtures.cartonaPrice;
import static io.marketbridge.channels.ChannelFixtures.catalog;
import static io.marketbridge.channels.ChannelFixtures.ebayPrice;
import static io.marketbridge.channels.ChannelFixtures.fullSync;
import static io.marketbridge.channels.ChannelFixtures.medusaPrice;
import static io.marketbridge.channels.ChannelFixtures.odooPrice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without Odoo's webhook, the write_date poll brings a price change to every channel within one poll interval. */
@QuarkusTest
@TestProfile(ChannelPollTest.PollEveryTwoSeconds.class)
class ChannelPollTest {

    static final long POLL_MILLIS = 2000;

    /**
     * A connected eBay seller; Odoo is polled every two seconds (a minute by default). Its own database, so the
     * first poll follows changes from this start, not from the first test's.
     */
    public static class PollEveryTwoSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.h2.jdbc.url", "jdbc:h2:mem:channel-poll;DB_CLOSE_DELAY=-1",
                    "marketbridge.ebay.refresh-token", "sandbox-refresh-token",
                    "marketbridge.ebay.orders.poll-period", "1h",
                    "marketbridge.ebay.inventory.poll-period", "1h",
                    "marketbridge.channels.poll-period", POLL_MILLIS + "ms",
                    "marketbridge.channels.poll-delay", "500ms");
        }
    }

    @Test
    void anOdooPriceChangeReachesEveryChannelWithinOnePollInterval() {
        ChannelFixtures.Catalog catalog = catalog(4, "60.00", 3);
        for (String channel : List.of("ebay", "cartona", "medusa")) {
            assertEquals("DONE", fullSync(channel, false).getString("state"), channel);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "60.00".equals(cartonaPrice(catalog.sku(4))));

        odooPrice(catalog.templateId(), "66.00");
        long started = System.nanoTime();
        // one interval, plus Odoo's whole-second write_date and the push itself
        await().atMost(Duration.ofMillis(POLL_MILLIS + 1500)).pollInterval(Duration.ofMillis(100))
                .until(() -> catalog.skus().stream().allMatch(sku -> "66.00".equals(ebayPrice(sku)) && "66.00".equals(cartonaPrice(sku))
                        && Double.valueOf(66).equals(medusaPrice(sku))));
        System.out.printf("Odoo poll -> every channel in %d ms (poll every %d ms)%n", (System.nanoTime() - started) / 1_000_000, POLL_MILLIS);
    }
}

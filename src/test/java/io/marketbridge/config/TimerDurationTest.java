package io.marketbridge.config;

import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.testsupport.ServiceConfig;
import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A timer period means the same to the service's settings as to the Camel timer that reads the same text. */
class TimerDurationTest {

    private final TimerDuration converter = new TimerDuration();

    @Test
    void readsWhatCamelsTimerReadsTheSameWay() {
        for (String text : List.of("5s", "1m", "500ms", "100ms", "15m", "30m", "1h", "24h", "1d", "1h30m", "1m500ms", "300000", "0")) {
            assertEquals(TimeUtils.toMilliSeconds(text), converter.convert(text).toMillis(), text);
        }
        assertEquals(Duration.ofMinutes(5), converter.convert("300000"), "a bare number is milliseconds, as it always was");
    }

    @Test
    void refusesWhatCamelWouldReadAsZero() {
        for (String text : List.of("PT5S", "5S", "1M", "five", "-5s")) {
            assertEquals(0, TimeUtils.toMilliSeconds(text), "Camel's timer reads " + text + " as 0");
        }
        for (String text : List.of("PT5S", "5S", "1M", "five", "-5s", "5 s")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> converter.convert(text), text);
            assertTrue(refused.getMessage().contains("5m, 30s, 500ms"), refused.getMessage());
        }
    }

    @Test
    void theServiceSettingsAreDurations() {
        MarketbridgeConfig config = ServiceConfig.mapping(Map.of("marketbridge.channels.poll-period", "2s"));
        assertEquals(Duration.ofMillis(100), config.pipeline().dispatchPeriod());
        EbayConfig ebay = ServiceConfig.mapping(EbayConfig.class, Map.of());
        assertEquals(Duration.ofMinutes(5), ebay.orders().pollPeriod());
        assertEquals(Duration.ofMinutes(15), ebay.fulfilment().pollPeriod());
        assertEquals(Duration.ofMinutes(15), ebay.quota().checkPeriod());
        assertEquals(Duration.ofMinutes(30), ebay.inventory().pollPeriod());
        assertEquals(Duration.ofSeconds(2), config.channels().pollPeriod());
        assertEquals(Duration.ofHours(1), config.channels().pollDelay(), "the test profile's");
    }
}

package io.marketbridge.ebay.notifications;

import io.marketbridge.pipeline.RejectedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The notification Timestamp: eBay's own form read by position, any other ISO-8601 instant as before. */
class PlatformNotificationTimestampTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-07T12:40:08.326Z", "2024-02-29T23:59:59.999Z", "1999-01-01T00:00:00.000Z",
            " 2026-12-07T12:40:08.006Z ", "2026-12-07T12:40:08Z", "2026-12-07T12:40:08.326123Z", "2026-12-07T12:40:08.3Z"})
    void readsAsInstantParseDoes(String timestamp) {
        assertEquals(Instant.parse(timestamp.trim()), EbayPlatformNotifications.parseTimestamp(timestamp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-07T12:40:08.326Z", "2026-02-30T12:40:08.326Z", "2026-12-07T24:40:08.326Z",
            "2026-12-07T12:4x:08.326Z", "2026-12-07 12:40:08.326Z", "+026-12-07T12:40:08.326Z", "", "yesterday"})
    void refusesWhatIsNoInstant(String timestamp) {
        RejectedInput refused = assertThrows(RejectedInput.class, () -> EbayPlatformNotifications.parseTimestamp(timestamp));
        assertEquals(400, refused.getStatus());
    }

    @Test
    void refusesAMissingTimestamp() {
        assertEquals(400, assertThrows(RejectedInput.class, () -> EbayPlatformNotifications.parseTimestamp(null)).getStatus());
    }
}

package io.marketbridge.pipeline;

import java.time.OffsetDateTime;

/** An inbox event claimed for processing; {@code attempts} counts this one. */
public record InboxEvent(long id, String source, String key, String type, String payload, int attempts,
        OffsetDateTime receivedAt) {
}

package io.marketbridge.pipeline;

/** An inbox event claimed for processing; {@code attempts} counts this one. */
public record InboxEvent(long id, String source, String key, String type, String payload, int attempts) {
}

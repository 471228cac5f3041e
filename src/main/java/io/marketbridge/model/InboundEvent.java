package io.marketbridge.model;

/**
 * A normalised event on its way into the inbox.
 *
 * @param source  the peer it came from ({@code ebay}, {@code cartona}, ...)
 * @param key     unique per real-world event: the same delivery twice has the same key
 * @param type    what happened, routed on by the dispatcher ({@code ebay.ItemListed})
 * @param payload the canonical event as JSON
 */
public record InboundEvent(String source, String key, String type, String payload) {
}

package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A normalised event on its way into the inbox.
 *
 * @param source  the peer it came from ({@code ebay}, {@code cartona}, ...)
 * @param key     unique per real-world event: the same delivery twice has the same key
 * @param type    what happened, routed on by the dispatcher ({@code ebay.ItemListed})
 * @param payload the canonical event as JSON
 * @param subject whose personal data the payload carries ({@code ebay-buyer:<username>}), or null
 */
@RegisterForReflection
public record InboundEvent(String source, String key, String type, String payload, String subject) {

    /** An event that carries no one's personal data. */
    public InboundEvent(String source, String key, String type, String payload) {
        this(source, key, type, payload, null);
    }
}

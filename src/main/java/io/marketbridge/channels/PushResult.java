package io.marketbridge.channels;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a channel did with one item of a batch: per-item outcomes are normal (eBay answers 207,
 * Cartona and Medusa can refuse one product of many).
 *
 * @param sku     the item
 * @param outcome accepted, worth retrying, or refused for good
 * @param reason  the channel's own error id and message when not accepted
 */
@RegisterForReflection
public record PushResult(String sku, Outcome outcome, String reason) {

    public enum Outcome { ACCEPTED, RETRY, REJECTED }

    public static PushResult accepted(String sku) {
        return new PushResult(sku, Outcome.ACCEPTED, null);
    }

    public static PushResult retry(String sku, String reason) {
        return new PushResult(sku, Outcome.RETRY, reason);
    }

    public static PushResult rejected(String sku, String reason) {
        return new PushResult(sku, Outcome.REJECTED, reason);
    }
}

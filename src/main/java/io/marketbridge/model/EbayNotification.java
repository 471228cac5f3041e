package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * An eBay notification other than a listing change (a SOAP Platform Notification or a JSON
 * Commerce notification), with the ids flows act on and the original kept whole in {@code raw}.
 */
@RegisterForReflection
public record EbayNotification(String eventName, Instant eventTime, String itemId, String transactionId,
        String orderId, String raw) {
}

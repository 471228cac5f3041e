package io.marketbridge.model;

import java.time.Instant;

/**
 * A Platform Notification no flow handles yet, kept whole so that a later flow can replay it.
 */
public record EbayNotification(String eventName, Instant eventTime, String itemId, String transactionId,
        String orderId, String soap) {
}

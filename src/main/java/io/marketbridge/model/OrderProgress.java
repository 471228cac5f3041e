package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How far Odoo has taken a channel's order, for the route that tells the channel: the sale order's stage, from its
 * state and its outgoing deliveries.
 *
 * @param channel     the channel's key ({@code cartona})
 * @param orderId     the channel's order id (the sale order's {@code client_order_ref} after {@code <channel>:})
 * @param saleOrderId the Odoo sale order
 * @param stage       {@code quotation} (draft or sent), {@code confirmed} (nothing delivered yet), {@code shipped} (some
 *                    deliveries done), {@code delivered} (every delivery done), {@code cancelled}
 */
@RegisterForReflection // routes read it (simple language) in the native image too
public record OrderProgress(String channel, String orderId, long saleOrderId, String stage) {
}

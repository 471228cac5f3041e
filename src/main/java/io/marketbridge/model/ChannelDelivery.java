package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A done Odoo delivery of a channel's order, as the channel's fulfilment step takes it: the channel's order, what
 * the delivery moved (by SKU) and its tracking.
 *
 * @param channel        the channel's key ({@code medusa})
 * @param orderId        the channel's order id (the sale order's {@code client_order_ref} after {@code <channel>:})
 * @param pickingId      the Odoo delivery ({@code stock.picking}), the key that makes the fulfilment once
 * @param tracking       the carrier's tracking reference
 * @param carrier        Odoo's carrier name, or null
 * @param quantitiesBySku what the delivery moved, by product SKU
 * @param doneAt         when Odoo validated it (UTC, {@code yyyy-MM-dd HH:mm:ss}), or null when Odoo did not say
 */
@RegisterForReflection
public record ChannelDelivery(String channel, String orderId, long pickingId, String tracking, String carrier,
        Map<String, Double> quantitiesBySku, String doneAt) {

    /** For messages: {@code Odoo delivery 42 of medusa order order_01}. */
    public String describe() {
        return "Odoo delivery " + pickingId + " of " + channel + " order " + orderId;
    }
}

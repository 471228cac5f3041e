package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A shipment a channel reports for one of its orders (marked shipped there, not in Odoo), as Odoo takes it: the
 * tracking on the sale order's delivery and a note for the people working the order.
 *
 * @param channel    the channel's key ({@code ebay}); the sale order is {@code <channel>:<orderId>}
 * @param orderId    the channel's order id
 * @param shipmentId the channel's id of the shipment (eBay's fulfillmentId), the key that reflects it once
 * @param tracking   the carrier's tracking number, letters and digits only; empty when the channel gave none
 * @param note       what the chatter note says (carrier, tracking, date, lines), in plain text
 */
@RegisterForReflection
public record ChannelShipment(String channel, String orderId, String shipmentId, String tracking, String note) {

    /** The sale order's {@code client_order_ref}. */
    public String ref() {
        return channel + ":" + orderId;
    }
}
